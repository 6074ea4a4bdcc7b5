"""Security review item 1: a report about a child's safety is a safeguarding concern, from the
public report form on a listing to its referral by council staff in the admin, in Chromium.
axe-core checks every page on the way."""

import re

import pytest
from django.core import mail

from core.roles import COUNCIL_MODERATORS
from directory.models import ListingReport
from tests.helpers import make_user

from .axe import assert_accessible
from .conftest import playwright_expect
from .signing_in import sign_in_to_admin

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WORDS = "A worker shouted at my son and grabbed his arm at pick-up on Friday."


def test_a_safeguarding_concern_goes_from_the_public_report_to_referral_by_council_staff(
    page, listings, settings
):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    settings.SAFEGUARDING_EMAIL = "front-door@council.example"
    settings.LADO_EMAIL = "lado@council.example"
    make_user("morag", COUNCIL_MODERATORS, first_name="Morag", last_name="Moderator")
    listing = listings.club

    # A parent reports it from the listing's page.
    page.goto(listing.url)
    page.get_by_role("link", name="Report a problem with this listing").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Report a problem with")
    expect(page.get_by_text("If a child is in danger now, call 999.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("link", name=re.compile("Choose yes if this is about"))).to_be_visible()
    assert_accessible(page)

    safety = page.get_by_role("group", name="Is this about a child's safety?")
    safety.get_by_role("radio", name="Yes, I am worried a child is not safe").check()
    page.get_by_role("textbox", name="Tell us more").fill(WORDS)
    page.get_by_role("textbox", name="Your email address (optional)").fill("parent@example.net")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report sent")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert_accessible(page)

    concern = ListingReport.objects.get()
    assert (concern.safeguarding, concern.status) == (True, "received")
    inboxes = {m.to[0]: m.body for m in mail.outbox}
    assert WORDS in inboxes["front-door@council.example"]
    assert WORDS in inboxes["lado@council.example"]
    assert "shouted" not in inboxes["parent@example.net"]

    # Council staff find it at the top of their queue, tagged, and take it to referral.
    sign_in_to_admin(page, "morag")
    expect(page.get_by_role("link", name="1 safeguarding concern not yet closed")).to_be_visible()
    page.get_by_role("link", name="1 safeguarding concern not yet closed").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Problems reported by families")
    first_row = page.locator("table tbody tr").first
    expect(first_row).to_contain_text("Safeguarding concern")
    # Our part of the queue: the table. (Wagtail's own "Show filters" button in the header has
    # a visible count of active filters that is not in its aria-label.)
    assert_accessible(page, within="#listing-results")

    first_row.get_by_role("link", name=re.compile("Open concern")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Safeguarding concern about")
    expect(page.get_by_text(WORDS)).to_be_visible()
    assert_accessible(page, within="main")

    page.get_by_role("button", name="Record this step").click()  # no note: refused, kept
    expect(page.get_by_text("Say how the concern was acknowledged")).to_be_visible()
    assert_accessible(page, within="main")

    steps = [
        ("Acknowledged", "Phoned the parent at 10:15 to say we have it. Morag"),
        ("Referred", "Referred to the LADO (J. Smith) by phone at 11:00, form sent."),
    ]
    for label, note in steps:
        page.get_by_role("radio", name=label, exact=True).check()
        page.get_by_role("textbox", name="Note", exact=True).fill(note)
        page.get_by_role("button", name="Record this step").click()
        expect(page.get_by_text(f"Safeguarding concern now “{label}”")).to_be_visible()
        expect(page.get_by_role("cell", name=note)).to_be_visible()
        assert_accessible(page, within="main")

    expect(page.get_by_role("cell", name="Acknowledged to Referred")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as dealt with")).to_have_count(0)
    concern.refresh_from_db()
    assert concern.status == "referred"
    assert [e.to_status for e in concern.events.all()] == ["received", "acknowledged", "referred"]
    assert concern.details == WORDS


def test_a_concern_can_be_reported_without_javascript(nojs_page, listings, settings):
    settings.SAFEGUARDING_EMAIL = "front-door@council.example"
    nojs_page.goto(f"/listing/{listings.short_break.pk}/report/")
    nojs_page.get_by_role("radio", name="Yes, I am worried a child is not safe").check()
    nojs_page.get_by_role("textbox", name="Tell us more").fill(WORDS)
    nojs_page.get_by_role("button", name="Send report").click()
    expect(nojs_page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert ListingReport.objects.get().safeguarding is True
    assert any("front-door@council.example" in m.to for m in mail.outbox)
