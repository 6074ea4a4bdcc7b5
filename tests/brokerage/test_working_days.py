"""The first-contact service level counts working days: Monday to Friday, less England's bank
holidays (offline, from the `holidays` package, substitute days included) and the council's
own closure days (`BROKERAGE_EXTRA_CLOSED_DAYS`). Real dates, in the site's time zone."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from brokerage import services
from brokerage.checks import extra_closed_days_are_dates
from brokerage.models import SupportRequest
from core.dates import add_working_days, is_working_day

LONDON = ZoneInfo("Europe/London")


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=LONDON)


def test_an_ordinary_week_is_five_working_days(settings):
    settings.BROKERAGE_EXTRA_CLOSED_DAYS = []
    assert add_working_days(at(2026, 1, 12), 5) == at(2026, 1, 19)  # Monday to Monday
    assert add_working_days(at(2026, 1, 16), 1) == at(2026, 1, 19)  # Friday to Monday


def test_a_request_sent_on_christmas_eve_2026_is_due_after_the_bank_holidays(settings):
    """Thursday 24 December 2026: Christmas Day (Friday), Boxing Day (Saturday, so the
    substitute Monday 28 December) and New Year's Day (Friday 1 January 2027) are not counted:
    29, 30, 31 December, 4 and 5 January are."""
    settings.BROKERAGE_EXTRA_CLOSED_DAYS = []
    assert add_working_days(at(2026, 12, 24), 5) == at(2027, 1, 5)
    assert not is_working_day(datetime.date(2026, 12, 25))
    assert not is_working_day(datetime.date(2026, 12, 28))  # Boxing Day, substitute
    assert not is_working_day(datetime.date(2027, 1, 1))
    assert is_working_day(datetime.date(2026, 12, 29))


def test_easter_2027_is_not_counted_and_the_time_of_day_survives_the_clocks_changing(settings):
    """Thursday 25 March 2027, before the clocks go forward on the 28th: Good Friday (26th)
    and Easter Monday (29th) are skipped; due at 10am British Summer Time on 5 April."""
    settings.BROKERAGE_EXTRA_CLOSED_DAYS = []
    due = add_working_days(at(2027, 3, 25), 5)
    assert due == at(2027, 4, 5)
    assert due.astimezone(LONDON).hour == 10
    assert due.astimezone(datetime.UTC).hour == 9


def test_the_due_date_of_a_request_counts_from_when_it_was_sent_in_utc(settings, submitted):
    settings.BROKERAGE_EXTRA_CLOSED_DAYS = []
    # 23:30 on Christmas Eve in London is still the 24th; in UTC too (winter).
    SupportRequest.objects.filter(pk=submitted.pk).update(
        submitted_at=datetime.datetime(2026, 12, 24, 23, 30, tzinfo=datetime.UTC)
    )
    submitted.refresh_from_db()
    assert submitted.first_contact_due() == datetime.datetime(
        2027, 1, 5, 23, 30, tzinfo=datetime.UTC
    )


def test_a_council_closure_day_is_not_a_working_day(settings):
    settings.BROKERAGE_EXTRA_CLOSED_DAYS = ["2027-01-04", datetime.date(2027, 1, 2)]
    assert not is_working_day(datetime.date(2027, 1, 4))
    # Monday 4 January closed too: due on Wednesday 6 January instead of Tuesday 5th.
    assert add_working_days(at(2026, 12, 24), 5) == at(2027, 1, 6)


def test_a_closure_day_that_is_not_a_date_is_refused_by_name(settings):
    settings.BROKERAGE_EXTRA_CLOSED_DAYS = ["2027-01-04", "4/1/2027"]
    with pytest.raises(ImproperlyConfigured, match="“4/1/2027” is not a date"):
        add_working_days(at(2026, 12, 24), 5)
    [error] = extra_closed_days_are_dates(None)
    assert error.id == "brokerage.E001" and "4/1/2027" in error.msg


def test_good_closure_days_pass_the_system_check(settings):
    settings.BROKERAGE_EXTRA_CLOSED_DAYS = ["2027-01-04"]
    assert extra_closed_days_are_dates(None) == []
    call_command("check", "brokerage", stdout=open("/dev/null", "w"))


@pytest.fixture
def sent_on_christmas_eve(submitted, settings):
    settings.BROKERAGE_EXTRA_CLOSED_DAYS = []
    SupportRequest.objects.filter(pk=submitted.pk).update(submitted_at=at(2026, 12, 24))
    submitted.refresh_from_db()
    return submitted


def queue_page(client, user):
    client.force_login(user)
    return client.get(reverse("brokerage_admin:queue")).content.decode()


def test_the_queue_does_not_call_a_request_overdue_over_the_bank_holidays(
    client, broker_ready, sent_on_christmas_eve
):
    # Five weekdays after Christmas Eve, but only three working days.
    with freeze_time("2027-01-04 12:00:00"):
        page = queue_page(client, broker_ready)
    assert sent_on_christmas_eve.reference in page
    assert "5 Jan 2027" in page and "Overdue" not in page


def test_the_queue_highlights_a_request_once_the_working_days_have_passed(
    client, broker_ready, sent_on_christmas_eve
):
    with freeze_time("2027-01-05 10:30:00"):
        page = queue_page(client, broker_ready)
    assert "Overdue" in page


def test_the_overdue_reminder_waits_for_the_working_days_too(broker_ready, sent_on_christmas_eve):
    before = services.reminders_send(now=at(2027, 1, 4, 12))
    assert before["first_contact_overdue"] == 0
    after = services.reminders_send(now=at(2027, 1, 5, 12))
    assert after["first_contact_overdue"] == 1
