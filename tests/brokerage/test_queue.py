"""The broker's queue: a countdown to first contact in working days, what each request needs
and where, offers about to expire, most urgent first; and reviews dated before the support
starts are refused."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from freezegun import freeze_time

from brokerage import services
from brokerage.models import Offer, SupportRequest
from core.dates import today
from tests.factories.directory import PersonalAssistantPageFactory

from .conftest import accept, make_request, write_up

LONDON = ZoneInfo("Europe/London")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=LONDON)


def queue_page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("brokerage_admin:queue")).content.decode()


@pytest.fixture
def sent_on_christmas_eve(submitted, settings):
    settings.BROKERAGE_EXTRA_CLOSED_DAYS = []
    SupportRequest.objects.filter(pk=submitted.pk).update(submitted_at=at(2026, 12, 24))
    submitted.refresh_from_db()
    return submitted


@pytest.mark.parametrize(
    "now, countdown",
    [
        # Due Tuesday 5 January: 30 and 31 December, 4 and 5 January are working days; New
        # Year's Day, the weekend and Boxing Day's substitute Monday 28 December are not.
        ("2026-12-29 12:00:00", "4 working days left"),
        ("2027-01-01 12:00:00", "2 working days left"),
        ("2027-01-04 12:00:00", "1 working day left"),
        ("2027-01-05 09:00:00", "Due today"),
        ("2027-01-05 12:00:00", "Overdue: it was due today"),
        ("2027-01-07 12:00:00", "Overdue by 2 working days"),
    ],
)
def test_the_time_left_to_first_contact_counts_working_days_across_the_bank_holidays(
    client, broker_ready, sent_on_christmas_eve, now, countdown
):
    with freeze_time(now):
        page = queue_page(client, broker_ready)
    assert countdown in page


def test_the_queue_shows_what_each_request_needs_and_where(client, broker_ready, submitted):
    page = queue_page(client, broker_ready)
    assert '<th scope="col">Needs</th>' in page and '<th scope="col">Area</th>' in page
    row = page.split(submitted.reference)[1].split("</tr>")[0]
    assert "Autism" in row and "NE46 3, Northumberland" in row


def test_offers_about_to_expire_are_listed_for_the_broker(client, broker_ready, assigned):
    listing = PersonalAssistantPageFactory(dbs=True, title="Sam, PA in Hexham")
    [offer] = services.offers_send(user=broker_ready, request=assigned, listings=[listing])
    page = queue_page(client, broker_ready)
    assert "No offers are about to expire" in page
    Offer.objects.filter(pk=offer.pk).update(expires_at=offer.sent_at + datetime.timedelta(days=9))
    with freeze_time(offer.sent_at + datetime.timedelta(days=8)):
        page = queue_page(client, broker_ready)
    expiring = page.split("Offers about to expire")[1].split("Assigned to you")[0]
    assert assigned.reference in expiring and "Sam, PA in Hexham" in expiring


def test_the_most_urgent_request_comes_first(client, broker_ready, family, make_family):
    older = make_request(family)
    services.request_assign(user=broker_ready, request=older)
    services.first_contact_record(user=broker_ready, request=older, note="Phoned")
    newer = make_request(make_family("second-family"))
    services.request_assign(user=broker_ready, request=newer)
    listing = PersonalAssistantPageFactory(dbs=True)
    [offer] = services.offers_send(user=broker_ready, request=newer, listings=[listing])
    with freeze_time(offer.expires_at - datetime.timedelta(hours=12)):
        page = queue_page(client, broker_ready)
    mine = page.split("Assigned to you")[1]
    assert mine.index(newer.reference) < mine.index(older.reference)


def test_a_waiting_request_overdue_comes_before_one_with_time_left(
    client, broker_ready, family, make_family, settings
):
    settings.BROKERAGE_EXTRA_CLOSED_DAYS = []
    fresh = make_request(family)
    late = make_request(make_family("late-family"))
    SupportRequest.objects.filter(pk=late.pk).update(submitted_at=at(2026, 11, 2))
    page = queue_page(client, broker_ready)
    waiting = page.split("Waiting in your areas")[1].split("Offers about to expire")[0]
    assert waiting.index(late.reference) < waiting.index(fresh.reference)
    assert "Overdue by" in waiting


@pytest.fixture
def agreed(broker_ready, pa_editor, listing, assigned, family):
    [offer] = services.offers_send(user=broker_ready, request=assigned, listings=[listing])
    accept(offer, pa_editor)
    services.offer_choose(user=family, offer=offer)
    agreement = write_up(offer.request, broker=broker_ready, family=family)
    services.agreement_confirm(user=pa_editor, agreement=agreement)
    return agreement


def test_a_review_dated_before_the_support_starts_is_refused(client, broker_ready, agreed):
    client.force_login(broker_ready)
    response = client.post(
        reverse("brokerage_admin:review", args=[agreed.request_id]),
        {"held_on": today().isoformat(), "feeling": "well", "family_words": "Too early"},
    )
    starts = agreed.start_date
    assert (
        f"A review cannot be dated before the support starts on {starts:%-d %B %Y}"
        in response.content.decode()
    )
    assert not agreed.reviews.exists()
