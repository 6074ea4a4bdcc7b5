"""Issue #5, end to end in Chromium: a family asks for support one question at a time, a broker
takes the request, matches it and sends offers, the provider accepts, the family compares and
chooses, and the agreement is confirmed by both. axe-core checks every family-facing page,
including an error state, and the family's pages work without JavaScript."""

import datetime
import re
from decimal import Decimal

import pytest

from core.roles import BROKERS, COUNCIL_MODERATORS, FAMILIES
from tests.helpers import PASSWORD, make_user

from .axe import describe_violations, run_axe
from .conftest import playwright_expect
from .signing_in import sign_in_to_admin

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LISTING = "Jo, personal assistant in Hexham"


def assert_accessible(page):
    page.wait_for_load_state("networkidle")
    violations = run_axe(page)
    assert not violations, describe_violations(page.url, violations)


def assert_no_browser_problems(problems):
    # Requests the browser abandons when a test moves on quickly (the admin's icon sprite,
    # avatars) are not problems; errors, CSP violations and failures are.
    found = [p for p in problems.all() if "net::ERR_ABORTED" not in p]
    assert not found, "Browser reported problems:\n" + "\n".join(found)


@pytest.fixture
def people(site, settings):
    """A family, a broker ready to work in Northumberland, and a PA with a verified DBS check
    who works on Saturdays, with her own account."""
    from brokerage import services
    from directory.choices import CostUnit
    from directory.models import FundingRoute, Need, Weekday
    from directory.services import organisation_add_editor
    from gazetteer.models import LocalAuthority
    from tests.factories.directory import DBSCheckFactory, PersonalAssistantPageFactory, taxonomy

    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    family = make_user("fran", FAMILIES, first_name="Fran", email="fran@example.org")
    broker = make_user("bea", BROKERS, first_name="Bea", last_name="Broker")
    services.code_of_conduct_accept(user=broker)
    council = make_user("cara", COUNCIL_MODERATORS, first_name="Cara")
    services.broker_areas_grant(
        user=council, broker=broker, areas=LocalAuthority.objects.filter(code="E06000057")
    )
    listing = PersonalAssistantPageFactory(
        title=LISTING,
        postcode="NE46 1AA",
        needs=taxonomy(Need, "autism"),
        days=list(Weekday.objects.filter(pk=6)),
        funding_accepted=taxonomy(FundingRoute, "direct-payment"),
        cost_amount=Decimal("15.00"),
        cost_unit=CostUnit.HOUR,
    )
    DBSCheckFactory(person=listing.staff_member)
    provider = make_user("jo", first_name="Jo", email="jo@example.org")
    organisation_add_editor(organisation=listing.organisation, user=provider)
    return family, broker, provider, listing


def sign_in_family(page):
    page.goto("/requests/")
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))
    page.get_by_label("Email address").fill("fran@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/requests/$"))


def admin_log_in(page, username):
    sign_in_to_admin(page, username)


def continue_(page):
    page.get_by_role("button", name="Save and continue").click()


def family_asks_for_support(page, problems):
    sign_in_family(page)
    assert_accessible(page)
    page.get_by_role("button", name="Ask for support").click()

    expect(page.get_by_role("heading", name="Who is asking for support?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("A parent or carer, for my child").check()
    continue_(page)

    # An error first: the summary is focused, the title says so, and it is accessible.
    page.get_by_label("How old are they?").fill("thirty")
    continue_(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("First name (optional)").fill("Amir")
    page.get_by_label("How old are they?").fill("12")
    continue_(page)

    page.get_by_label("Autism").check()
    assert_accessible(page)
    continue_(page)
    page.get_by_label("How do they communicate?").fill("Uses Makaton and a few words.")
    assert_accessible(page)
    continue_(page)
    page.get_by_label("What help do they need with personal care or health?").fill(
        "Needs help with toileting."
    )
    assert_accessible(page)
    continue_(page)
    assert_accessible(page)
    continue_(page)  # behaviour: nothing to add
    page.get_by_label("A personal assistant (PA)").check()
    assert_accessible(page)
    continue_(page)
    page.get_by_label("Saturday").check()
    assert_accessible(page)
    continue_(page)
    page.get_by_label("About how many hours a week? (optional)").fill("6")
    assert_accessible(page)
    continue_(page)
    page.get_by_label("What is your postcode?").fill("ne46 3nr")
    assert_accessible(page)
    continue_(page)
    page.get_by_label("Up to 10 miles").check()
    assert_accessible(page)
    continue_(page)
    page.get_by_label("A woman").check()
    assert_accessible(page)
    continue_(page)
    page.get_by_label("Direct payment").check()
    page.get_by_label("Budget per hour, in pounds (optional)").fill("18")
    assert_accessible(page)
    continue_(page)
    page.get_by_label("Your name").fill("Fran Wilson")
    page.get_by_label("Phone number (optional)").fill("07700 900456")
    assert_accessible(page)
    continue_(page)
    page.get_by_role("checkbox").check()
    assert_accessible(page)
    continue_(page)

    expect(page.get_by_role("heading", name=re.compile("Check your answers"))).to_be_visible()
    expect(page.get_by_text("NE46 3", exact=True)).to_be_visible()
    expect(page.get_by_text("NE46 3NR")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", name="Request sent")).to_be_visible()
    assert_accessible(page)
    assert_no_browser_problems(problems)


def test_the_whole_brokerage_journey(page, new_browser_page, people, problems):
    from brokerage.choices import Status
    from brokerage.models import SupportRequest

    family, broker, provider, listing = people
    family_asks_for_support(page, problems)
    request = SupportRequest.objects.get(family=family)
    assert request.status == Status.SUBMITTED and request.postcode_sector == "NE46 3"

    # The broker takes it from the queue, matches and asks the PA.
    staff = new_browser_page()
    admin_log_in(staff, "bea")
    staff.goto("/admin/brokerage/")
    staff.get_by_role("button", name="Assign to me").click()
    expect(staff.get_by_text(f"Request {request.reference} is now yours.")).to_be_visible()
    staff.get_by_role("link", name="Matching and offers").click()
    expect(staff.get_by_text("Supports Autism")).to_be_visible()
    staff.get_by_label(f"Ask {LISTING}").check()
    staff.get_by_role("button", name="Send the summary to the providers ticked").click()
    expect(staff.get_by_text("Asked 1 provider(s).")).to_be_visible()

    # The PA sees the anonymous summary and offers to help.
    pa = new_browser_page()
    admin_log_in(pa, "jo")
    pa.goto("/admin/brokerage/offers/")
    pa.get_by_role("link", name=LISTING).click()
    expect(pa.get_by_text("11-15")).to_be_visible()
    expect(pa.get_by_text("Fran Wilson")).to_have_count(0)
    pa.get_by_label("Hours a week you can offer").fill("6")
    pa.get_by_label("Rate per hour (£)").fill("15.50")
    start = datetime.date.today() + datetime.timedelta(days=7)
    pa.get_by_label("Earliest start date").fill(start.isoformat())
    pa.get_by_role("button", name="Offer to help").click()
    expect(
        pa.get_by_text("Thank you. The broker and the family will see your offer.")
    ).to_be_visible()

    # The family compares the offers and chooses.
    page.goto(f"/requests/{request.pk}/")
    expect(page.get_by_role("heading", name="Offers to choose from")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Choose {LISTING}").click()
    # A page first says exactly what goes to whom; nothing is shared until they confirm.
    expect(page.get_by_role("heading", level=1)).to_contain_text("share your details with")
    expect(page.locator("#shared-contact")).to_contain_text("Your email address")
    assert_accessible(page)
    page.get_by_role("button", name=f"Confirm: choose {LISTING}").click()
    expect(page.get_by_text(re.compile(r"^You chose .* We have shared"))).to_be_visible()
    expect(page.get_by_text(re.compile("your name, email address, phone number"))).to_be_visible()
    assert_accessible(page)

    # Only now does the PA see how to contact the family.
    pa.reload()
    expect(pa.get_by_text("Fran Wilson")).to_be_visible()

    # The broker writes up the agreement; the family and the PA confirm it.
    staff.goto(f"/admin/brokerage/requests/{request.pk}/agreement/")
    staff.get_by_role("button", name="Send to the family and provider to confirm").click()
    expect(
        staff.get_by_text("Agreement sent to the family and provider to confirm.")
    ).to_be_visible()
    page.reload()
    expect(page.get_by_text("Days and times")).to_be_visible()  # Saturday, as the family asked
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the agreement").click()
    expect(page.get_by_text("You have confirmed the agreement.")).to_be_visible()
    pa.reload()
    pa.get_by_role("button", name="Confirm the agreement").click()
    expect(pa.get_by_text("Agreement confirmed.")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Support agreed")).to_be_visible()
    assert_accessible(page)

    request.refresh_from_db()
    assert request.status == Status.MATCHED
    assert [e.to_status for e in request.events.filter(offer__isnull=True)][:3] == [
        Status.DRAFT,
        Status.SUBMITTED,
        Status.ASSIGNED,
    ]
    assert_no_browser_problems(problems)


def test_a_broker_adds_a_candidate_that_fails_two_requirements_and_sees_why(page, people, problems):
    from brokerage import services
    from tests.brokerage.conftest import answers
    from tests.factories.directory import PersonalAssistantPageFactory, weekdays

    family, broker, _, _ = people
    draft = services.draft_create(user=family)
    draft = services.draft_save(user=family, request=draft, values=answers(postcode="NE46 3NR"))
    sent = services.request_submit(user=family, request=draft)
    services.request_assign(user=broker, request=sent)
    # Weekdays only (the family asked for Saturday) and no DBS check: it fails two.
    weekday_pa = PersonalAssistantPageFactory(
        title="Kim, weekday personal assistant", postcode="NE46 1AA", days=weekdays(1, 2)
    )

    admin_log_in(page, "bea")
    page.goto(f"/admin/brokerage/requests/{sent.pk}/matching/")
    expect(page.get_by_text("Kim, weekday personal assistant")).to_have_count(0)
    page.get_by_label("Listing number (from its admin page)").fill(str(weekday_pa.pk))
    page.get_by_role("button", name="Add", exact=True).click()
    expect(
        page.get_by_text("Kim, weekday personal assistant added as a candidate.")
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Kim, weekday personal assistant")
    expect(row).to_contain_text("Added by you")
    expect(row).to_contain_text("Not met: No Saturday availability")
    expect(row).to_contain_text("Not met: No verified, current DBS check")
    expect(row).to_contain_text("100 to start with")
    assert_accessible(page)
    assert_no_browser_problems(problems)


def test_the_familys_other_pages_are_accessible(page, people, problems):
    from brokerage import services
    from tests.brokerage.conftest import answers

    family = people[0]
    draft = services.draft_create(user=family)
    draft = services.draft_save(user=family, request=draft, values=answers(postcode="NE46 3NR"))
    sent = services.request_submit(user=family, request=draft)
    sign_in_family(page)
    for path in (
        "/requests/",
        f"/requests/{sent.pk}/",
        f"/requests/{sent.pk}/withdraw/",
        "/requests/delete-account/",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    page.get_by_role("button", name="Delete my account").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    assert_no_browser_problems(problems)


def test_a_family_can_answer_without_javascript(nojs_page, people):
    sign_in_family(nojs_page)
    nojs_page.get_by_role("button", name="Ask for support").click()
    nojs_page.get_by_label("A young person aged 16 or over, for myself").check()
    continue_(nojs_page)
    nojs_page.get_by_label("How old are you?").fill("15")
    continue_(nojs_page)
    expect(nojs_page.get_by_text("You must be 16 or over to ask for yourself")).to_have_count(2)
