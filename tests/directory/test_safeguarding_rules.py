"""When a DBS check is verified, due soon, lapsed or hidden, to the day."""

import datetime

import pytest
from django.test import override_settings

from core.dates import add_months
from directory.badges import dbs_badge
from directory.choices import DBSLevel, DBSReview, DBSStatus
from directory.models import DBSCheck, ListingStatus, worst_status

DUE = datetime.date(2027, 3, 10)
DAY = datetime.timedelta(days=1)


def check(verified=True, next_due=DUE):
    return DBSCheck(
        level=DBSLevel.ENHANCED_CHILDREN,
        certificate_number="001234567890",
        issue_date=datetime.date(2024, 3, 10),
        next_due_date=next_due,
        verified_at=datetime.datetime(2024, 3, 20, tzinfo=datetime.UTC) if verified else None,
        review=DBSReview.VERIFIED if verified else DBSReview.SUBMITTED,
    )


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (DUE - datetime.timedelta(days=31), DBSStatus.VERIFIED),
        (DUE - datetime.timedelta(days=30), DBSStatus.DUE_SOON),  # the reminder window opens
        (DUE - DAY, DBSStatus.DUE_SOON),
        (DUE, DBSStatus.LAPSED),  # lapses on its due date
        (DUE + DAY, DBSStatus.LAPSED),
    ],
)
def test_a_verified_check_is_due_soon_30_days_ahead_and_lapses_on_its_due_date(on, expected):
    assert check().status(on) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [(DUE - DAY, DBSStatus.SELF_DECLARED), (DUE, DBSStatus.LAPSED)],
)
def test_an_unverified_check_is_self_declared_until_it_lapses(on, expected):
    assert check(verified=False).status(on) == expected


@override_settings(DBS_REMINDER_DAYS=60)
def test_the_reminder_window_is_configurable():
    assert check().status(DUE - datetime.timedelta(days=60)) == DBSStatus.DUE_SOON
    assert check().status(DUE - datetime.timedelta(days=61)) == DBSStatus.VERIFIED


def status_lapsed_on(day):
    return ListingStatus(
        assured_date=day, dbs_status=DBSStatus.LAPSED, dbs_lapsed_on=day, dbs_next_due=day
    )


@pytest.mark.parametrize(
    ("days_after", "hidden"),
    [(0, False), (13, False), (14, True), (15, True)],
)
def test_a_lapsed_listing_stays_flagged_for_the_14_day_grace_period_then_leaves_the_directory(
    days_after, hidden
):
    status = status_lapsed_on(DUE)
    on = DUE + datetime.timedelta(days=days_after)
    assert status.dbs_hidden(on) is hidden


@override_settings(DBS_LAPSE_GRACE_DAYS=0)
def test_the_grace_period_is_configurable_down_to_none():
    assert status_lapsed_on(DUE).dbs_hidden(DUE) is True


def test_the_public_badge_names_the_level_and_the_verification_date():
    status = ListingStatus(
        dbs_status=DBSStatus.VERIFIED,
        dbs_level=DBSLevel.ENHANCED_CHILDREN,
        dbs_verified_on=datetime.date(2026, 3, 3),
    )
    assert dbs_badge(status).label == (
        "Enhanced DBS check with children's barred list, verified 3 March 2026"
    )


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (DBSStatus.DUE_SOON, "due for renewal"),
        (DBSStatus.LAPSED, "lapsed"),
        (DBSStatus.SELF_DECLARED, "not yet verified"),
        (DBSStatus.NONE, "No DBS check"),
    ],
)
def test_every_badge_says_plainly_what_the_council_knows(status, words):
    badge = dbs_badge(
        ListingStatus(
            dbs_status=status,
            dbs_level=DBSLevel.ENHANCED,
            dbs_next_due=DUE,
            dbs_verified_on=datetime.date(2024, 3, 20),
        )
    )
    assert words in badge.label


def test_a_listing_badge_shows_the_worst_status_among_the_people_who_work_there():
    assert worst_status([DBSStatus.VERIFIED, DBSStatus.LAPSED]) == DBSStatus.LAPSED
    assert worst_status([DBSStatus.VERIFIED, DBSStatus.DUE_SOON]) == DBSStatus.DUE_SOON
    assert worst_status([DBSStatus.SELF_DECLARED, DBSStatus.NONE]) == DBSStatus.NONE
    assert worst_status([]) == DBSStatus.NONE


@pytest.mark.parametrize(
    ("update_service", "last_check", "expected"),
    [
        (False, None, datetime.date(2029, 1, 31)),  # three years after issue
        (True, None, datetime.date(2027, 1, 31)),  # a year on the Update Service
        (True, datetime.date(2026, 6, 1), datetime.date(2027, 6, 1)),
    ],
)
def test_the_default_next_due_date_depends_on_the_update_service(
    update_service, last_check, expected
):
    issued = datetime.date(2026, 1, 31)
    assert DBSCheck.default_next_due(issued, update_service, last_check) == expected


def test_adding_months_to_the_end_of_a_month_lands_on_a_real_day():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
