"""Listings never disappear silently: the provider is emailed once when a listing becomes out
of date (13 weeks unconfirmed) and once when it is hidden (26 weeks), and council staff have a
list of out-of-date, hidden and withdrawn listings with how many of each (council staff
only)."""

import datetime

import pytest
from django.core.management import call_command

from core.dates import today
from core.roles import KITEMARK_COORDINATORS
from directory import services
from directory.models import ListingStatus
from tests.factories.directory import ShortBreakServicePageFactory
from tests.factories.kitemark import make_auditor
from tests.helpers import assert_denied, make_user

pytestmark = pytest.mark.django_db

WEEK = datetime.timedelta(weeks=1)
DAY = datetime.timedelta(days=1)
LIST = "/admin/directory/listings/needing-attention/"


@pytest.fixture
def listing(org_a, provider_a):
    return ShortBreakServicePageFactory(organisation=org_a, title="Prudhoe Play Scheme")


@pytest.fixture
def captured(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def assure(listing, day):
    ListingStatus.objects.filter(listing_id=listing.pk).update(assured_date=day)


def run_reminders(on, captured):
    with captured(execute=True):
        return services.reminders_send(on=on)


def emails_to(mailoutbox, user, subject_words):
    return [m for m in mailoutbox if user.email in m.to and subject_words in m.subject]


def test_the_provider_is_emailed_once_when_a_listing_becomes_out_of_date_at_13_weeks(
    listing, provider_a, captured, mailoutbox
):
    assured = today()
    assure(listing, assured)
    assert run_reminders(assured + 13 * WEEK - DAY, captured)["listing_stale"] == 0
    assert run_reminders(assured + 13 * WEEK, captured)["listing_stale"] == 1
    assert run_reminders(assured + 13 * WEEK, captured)["listing_stale"] == 0
    assert run_reminders(assured + 20 * WEEK, captured)["listing_stale"] == 0

    (email,) = emails_to(mailoutbox, provider_a, "as out of date")
    assert email.subject == 'Families now see "Prudhoe Play Scheme" as out of date'
    hidden_on = assured + 26 * WEEK
    assert f"It will be hidden from families on {hidden_on:%-d %B %Y}" in email.body
    assert "/confirm-listing/" in email.body


def test_the_provider_is_emailed_once_when_a_listing_is_hidden_at_26_weeks(
    listing, provider_a, captured, mailoutbox
):
    assured = today()
    assure(listing, assured)
    run_reminders(assured + 13 * WEEK, captured)
    assert run_reminders(assured + 26 * WEEK - DAY, captured)["listing_hidden"] == 0
    assert run_reminders(assured + 26 * WEEK, captured)["listing_hidden"] == 1
    assert run_reminders(assured + 26 * WEEK, captured)["listing_hidden"] == 0
    assert run_reminders(assured + 40 * WEEK, captured)["listing_hidden"] == 0

    (email,) = emails_to(mailoutbox, provider_a, "is hidden from families")
    assert email.subject == '"Prudhoe Play Scheme" is hidden from families'
    assert "Families can no longer find" in email.body
    assert f"hidden on {assured + 26 * WEEK:%-d %B %Y}" in email.body
    assert "/confirm-listing/" in email.body
    assert len(emails_to(mailoutbox, provider_a, "as out of date")) == 1


def test_a_listing_found_already_hidden_gets_only_the_hidden_email(
    listing, provider_a, captured, mailoutbox
):
    assure(listing, today() - 30 * WEEK)
    counts = run_reminders(today(), captured)
    assert (counts["listing_stale"], counts["listing_hidden"], counts["freshness"]) == (0, 1, 0)
    assert run_reminders(today() + DAY, captured)["listing_stale"] == 0
    assert len(mailoutbox) == 1


def test_confirming_starts_the_steps_again(listing, provider_a, captured, mailoutbox):
    assure(listing, today() - 13 * WEEK)
    run_reminders(today(), captured)
    services.listing_confirm_accuracy(listing=listing, user=provider_a)
    assert run_reminders(today() + 13 * WEEK, captured)["listing_stale"] == 1


def test_a_closed_service_is_sent_no_freshness_emails(listing, provider_a, captured, mailoutbox):
    assure(listing, today() - 13 * WEEK)
    ListingStatus.objects.filter(listing_id=listing.pk).update(closed_on=today())
    counts = run_reminders(today() + 13 * WEEK, captured)
    assert counts["listing_stale"] == counts["listing_hidden"] == counts["freshness"] == 0
    assert mailoutbox == []


def test_the_reminders_command_sends_each_step_once(listing, provider_a, capsys):
    assure(listing, today() - 13 * WEEK)
    call_command("send_reminders")
    assert "listing stale: 1" in capsys.readouterr().out
    call_command("send_reminders")
    assert "listing stale: 0" in capsys.readouterr().out


# --- the council's list ---------------------------------------------------------------------


@pytest.fixture
def listings(org_a, org_b):
    made = {
        title: ShortBreakServicePageFactory(organisation=org, title=title)
        for title, org in [
            ("Fresh club", org_a),
            ("Stale club", org_a),
            ("Unconfirmed club", org_b),
            ("Lapsed club", org_b),
            ("Paused club", org_a),
            ("Closed club", org_b),
        ]
    }

    def update(title, **fields):
        ListingStatus.objects.filter(listing=made[title]).update(**fields)

    update("Stale club", assured_date=today() - 14 * WEEK)
    update("Unconfirmed club", assured_date=today() - 27 * WEEK)
    update("Lapsed club", dbs_lapsed_on=today() - 20 * DAY)
    update("Paused club", paused_until=today() + 10 * DAY)
    update("Closed club", closed_on=today())
    return made


def test_council_staff_see_out_of_date_hidden_and_withdrawn_listings_with_counts(
    client, moderator, listings
):
    client.force_login(moderator)
    page = client.get(LIST).content.decode()
    for label in [
        "Shown as out of date: 1",
        "Hidden: not confirmed: 1",
        "Hidden: DBS check lapsed: 1",
        "Paused by the provider: 1",
        "Closed by the provider: 1",
    ]:
        assert label in page
    for title in ["Stale club", "Unconfirmed club", "Lapsed club", "Paused club", "Closed club"]:
        assert title in page
    assert "Fresh club" not in page
    # Oldest confirmation first.
    assert page.index("Unconfirmed club") < page.index("Stale club")

    hidden = client.get(LIST, {"state": "unconfirmed"}).content.decode()
    assert "Unconfirmed club" in hidden and "Stale club" not in hidden
    assert "Not confirmed as accurate since" in hidden


def test_the_council_dashboard_counts_listings_families_cannot_rely_on(client, moderator, listings):
    client.force_login(moderator)
    dashboard = client.get("/admin/").content.decode()
    assert "Shown as out of date: 1 listing" in dashboard
    assert "Closed by the provider: 1 listing" in dashboard


def test_only_council_staff_may_see_the_list(client, listings, provider_a, broker, family):
    coordinator = make_user("coordinator", KITEMARK_COORDINATORS)
    auditor = make_auditor("young-auditor").user
    for person in [provider_a, broker, family, coordinator, auditor]:
        client.force_login(person)
        assert_denied(client.get(LIST))
        client.logout()
    assert_denied(client.get(LIST))
