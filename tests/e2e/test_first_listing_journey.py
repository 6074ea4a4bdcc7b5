"""Issue 15: an admitted provider with no listings yet creates its first listing in the admin
and submits it at the first attempt (no slug, no Promote tab); a council moderator asks for
changes and the provider reads why, in plain words, on the listing's edit page.

Driven in Chromium; axe-core finds nothing in the editor's form, nor on the edit page that
gives the council's reason."""

import re

import pytest
from django.core import mail

from core.roles import COUNCIL_MODERATORS
from directory.choices import OrganisationKind
from directory.models import ProviderPage, ShortBreakServicePage
from directory.services import organisation_add_editor, organisation_create
from tests.helpers import make_user

from .axe import describe_violations, run_axe
from .conftest import playwright_expect
from .signing_in import sign_in_to_admin

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Allendale Riverside Club"
COMMENT = "Please say which Saturdays the club meets in the school holidays."


@pytest.fixture
def new_provider(site, settings):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    organisation = organisation_create(
        name="Allendale Family Breaks",
        kind=OrganisationKind.CHARITY,
        directory=site.directory,
        postcode="NE46 3NR",
    )
    user = make_user("nia", first_name="Nia", last_name="Provider", email="nia@example.org")
    organisation_add_editor(organisation=organisation, user=user)
    make_user("morag", COUNCIL_MODERATORS, first_name="Morag", last_name="Moderator")
    return ProviderPage.objects.get(organisation=organisation)


def assert_accessible(page, within: str = "main"):
    violations = run_axe(page, within=within)
    assert not violations, describe_violations(page.url, violations)


def tab(page, name: str):
    page.get_by_role("tab", name=name).click()


def test_a_new_provider_submits_a_first_listing_and_reads_why_the_council_sent_it_back(
    page, new_browser_page, new_provider
):
    sign_in_to_admin(page, "nia")
    page.goto(f"/admin/pages/add/directory/shortbreakservicepage/{new_provider.pk}/")
    expect(page.get_by_role("tab", name="Promote")).to_have_count(0)
    expect(page.get_by_role("textbox", name="Slug")).to_have_count(0)

    page.get_by_role("textbox", name="Name of the service").fill(TITLE)
    page.get_by_role("textbox", name="Summary").fill("A Saturday club by the river for ages 8-16.")
    tab(page, "Where")
    page.get_by_role("textbox", name="Postcode").fill("NE46 3NR")
    # The areas served: councils by region, the provider's own region open and first.
    councils = page.locator("#id_served_local_authorities")
    expect(councils.locator("summary").first).to_have_text("North East")
    expect(councils.get_by_role("checkbox").first).to_have_accessible_name("Northumberland")
    councils.get_by_role("checkbox", name="Northumberland").check()
    assert_accessible(page)
    tab(page, "Costs and capacity")
    page.get_by_role("combobox", name="Cost unit").select_option(label="Free")

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Council moderation").click()
    expect(page.get_by_text(re.compile("submitted for moderation"))).to_be_visible()
    listing = ShortBreakServicePage.objects.get(title=TITLE)
    assert listing.slug == "allendale-riverside-club"
    assert listing.current_workflow_state is not None

    moderation = new_browser_page()
    sign_in_to_admin(moderation, "morag")
    review = moderation.get_by_role("region", name="Awaiting your review")
    row = review.get_by_role("row").filter(has=moderation.get_by_role("link", name=TITLE))
    row.get_by_role("button", name="Actions").click()
    moderation.get_by_role("button", name="Request changes").click()
    dialog = moderation.get_by_role("dialog").filter(
        has=moderation.get_by_role("heading", name="Request changes")
    )
    dialog.get_by_label("Comment").fill(COMMENT)
    with moderation.expect_response(lambda r: r.request.method == "POST"):
        dialog.get_by_role("button", name="Request changes").click()
    expect(dialog).to_be_hidden()

    asked = [
        m for m in mail.outbox if "nia@example.org" in m.to and "asked for changes" in m.subject
    ]
    assert len(asked) == 1, [m.subject for m in mail.outbox]
    assert COMMENT in asked[0].body

    page.goto(f"/admin/pages/{listing.pk}/edit/")
    expect(page.get_by_text(f"The council asked for changes: {COMMENT}")).to_be_visible()
    assert_accessible(page)
