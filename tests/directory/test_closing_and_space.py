"""A provider closes a service, pauses it until a date, reopens it, and updates its space
now, from their dashboard and without a moderator: families see a paused service "Not taking
bookings until <date>", a closed one is hidden from search and its page, and every change is
in the audit trail. Nobody else's listing can be changed."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import Page

from core.dates import today
from core.models import AuditEvent
from core.roles import KITEMARK_COORDINATORS
from directory.models import ListingPage, ListingStatus
from tests.factories.directory import ShortBreakServicePageFactory
from tests.factories.kitemark import make_auditor
from tests.helpers import assert_denied, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(org_a, provider_a):
    return ShortBreakServicePageFactory(
        organisation=org_a, title="Hexham Holiday Club", capacity_now=4
    )


def page_for(listing):
    return reverse("directory_admin:listing_availability", args=[listing.pk])


def status_of(listing):
    return ListingStatus.objects.get(listing_id=listing.pk)


def row_for(dashboard: str, title: str) -> str:
    start = dashboard.index(f">{title}</a>")
    return dashboard[start : dashboard.index("</tr>", start)]


def in_the_directory(listing) -> bool:
    return ListingPage.objects.in_directory().filter(pk=listing.pk).exists()


def actions_on(listing) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(listing.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_closed_service_leaves_the_directory_and_says_so_on_the_dashboard(
    client, listing, provider_a
):
    client.force_login(provider_a)
    response = client.post(page_for(listing), {"availability": "closed"})
    assert response.status_code == 302

    assert status_of(listing).closed_on == today()
    assert not in_the_directory(listing)
    row = row_for(client.get("/admin/").content.decode(), "Hexham Holiday Club")
    assert "Closed: hidden from families" in row
    assert f"You closed it on {today():%-d %B %Y}" in row
    assert "What to do: Press “Reopen” when you take bookings again." in row
    client.logout()
    assert client.get(listing.url).status_code == 404
    assert "listing_closed" in actions_on(listing)
    # Closing needed no moderator: the page is still live, with nothing waiting.
    listing.refresh_from_db()
    assert listing.live and not listing.has_unpublished_changes


def test_a_paused_service_stays_shown_saying_when_it_takes_bookings_again(
    client, listing, provider_a
):
    until = today() + datetime.timedelta(days=30)
    client.force_login(provider_a)
    client.post(page_for(listing), {"availability": "paused", "until": until.isoformat()})

    assert in_the_directory(listing)
    row = row_for(client.get("/admin/").content.decode(), "Hexham Holiday Club")
    assert f"Shown as not taking bookings until {until:%-d %B %Y}" in row
    assert "You paused it. Families can still find it." in row
    assert f"What to do: Nothing: it takes bookings again on {until:%-d %B %Y}" in row
    client.logout()
    page = client.get(listing.url).content.decode()
    assert f"Not taking bookings until {until:%-d %B %Y}" in page
    assert "listing_paused" in actions_on(listing)


def test_a_pause_ends_by_itself_on_the_day_bookings_start_again(listing, provider_a):
    status = status_of(listing)
    status.paused_until = today()
    status.save()
    assert not status.paused()
    assert status.paused(on=today() - datetime.timedelta(days=1))


def test_reopening_puts_a_closed_service_back_in_the_directory(client, listing, provider_a):
    client.force_login(provider_a)
    client.post(page_for(listing), {"availability": "closed"})
    response = client.post(page_for(listing), {"availability": "open"})
    assert response.status_code == 302

    assert in_the_directory(listing)
    assert status_of(listing).closed_on is None
    assert "Shown to families</strong>" in row_for(
        client.get("/admin/").content.decode(), "Hexham Holiday Club"
    )
    assert actions_on(listing)[-2:] == ["listing_closed", "listing_reopened"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"availability": "paused"}, "Enter the date you will take bookings again"),
        ({"availability": "paused", "until": "2020-01-01"}, "must be in the future"),
        ({"availability": "paused", "until": "31/02/2027"}, "Enter a real date"),
        ({"availability": "paused", "until": "2099-01-01"}, "Pause for a year at most"),
        ({}, "Choose whether families can book this service"),
        ({"availability": "sometimes"}, "Select a valid choice"),
        ({"availability": "open"}, "This service is not closed or paused"),
    ],
)
def test_bad_answers_about_bookings_get_a_clear_message_and_change_nothing(
    client, listing, provider_a, data, message
):
    client.force_login(provider_a)
    response = client.post(page_for(listing), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    status = status_of(listing)
    assert status.closed_on is None and status.paused_until is None


def test_space_now_is_updated_in_one_step_from_the_dashboard_dated_today(
    client, listing, provider_a
):
    ListingPage.objects.filter(pk=listing.pk).update(
        capacity_stated_on=today() - datetime.timedelta(days=40)
    )
    client.force_login(provider_a)
    dashboard = client.get("/admin/").content.decode()
    assert 'name="capacity_now"' in row_for(dashboard, "Hexham Holiday Club")

    response = client.post(page_for(listing), {"capacity_now": "0"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.capacity_now == 0
    assert listing.capacity_stated_on == today()
    assert not listing.has_unpublished_changes
    client.logout()
    page = client.get(listing.url).content.decode()
    assert f"Full at the moment (as of {today():%-d %B %Y})" in page
    assert "listing_space_updated" in actions_on(listing)


def test_a_draft_waiting_for_a_moderator_does_not_bring_the_old_space_back(
    client, listing, provider_a, moderator
):
    draft = Page.objects.get(pk=listing.pk).specific
    draft.summary = "Now with a sensory room"
    draft.save_revision(user=provider_a)
    client.force_login(provider_a)
    client.post(page_for(listing), {"capacity_now": "1"})

    ListingPage.objects.get(pk=listing.pk).specific.get_latest_revision().publish()
    listing.refresh_from_db()
    assert listing.summary == "Now with a sensory room"
    assert listing.capacity_now == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the space you have now: 0 if you are full"),
        ("-1", "Space now cannot be less than 0"),
        ("three", "Enter a whole number, like 3"),
        ("2.5", "Enter a whole number, like 3"),
    ],
)
def test_bad_space_now_gets_a_clear_message_and_changes_nothing(
    client, listing, provider_a, value, message
):
    client.force_login(provider_a)
    response = client.post(page_for(listing), {"capacity_now": value})
    assert response.status_code == 200
    assert message in response.content.decode()
    listing.refresh_from_db()
    assert listing.capacity_now == 4


def test_a_listing_not_yet_approved_cannot_be_closed(client, org_a, provider_a):
    draft = ShortBreakServicePageFactory(organisation=org_a, title="New club", live=False)
    client.force_login(provider_a)
    response = client.post(page_for(draft), {"availability": "closed"})
    assert "once the council has approved it" in response.content.decode()
    assert status_of(draft).closed_on is None


def other_people(provider_b, broker, family):
    coordinator = make_user("coordinator", KITEMARK_COORDINATORS)
    auditor = make_auditor("young-auditor").user
    return [provider_b, broker, family, coordinator, auditor]


def test_nobody_but_the_provider_and_council_staff_can_close_or_change_space(
    client, listing, provider_b, broker, family
):
    for person in other_people(provider_b, broker, family):
        client.force_login(person)
        assert_denied(client.get(page_for(listing)))
        assert_denied(client.post(page_for(listing), {"availability": "closed"}))
        assert_denied(client.post(page_for(listing), {"capacity_now": "0"}))
        client.logout()
    assert_denied(client.post(page_for(listing), {"availability": "closed"}))
    assert status_of(listing).closed_on is None
    listing.refresh_from_db()
    assert listing.capacity_now == 4


def test_council_staff_can_close_a_service_for_its_provider(client, listing, moderator):
    client.force_login(moderator)
    assert client.get(page_for(listing)).status_code == 200
    client.post(page_for(listing), {"availability": "closed"})
    assert status_of(listing).closed_on == today()
    event = AuditEvent.objects.get(action="listing_closed")
    assert event.actor == moderator
