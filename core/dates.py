"""Dates the whole product counts in: today in the site's time zone, calendar months, and
working days (Monday to Friday, less England's bank holidays and the council's closure days).
"""

import datetime
import functools

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def add_working_days(start: datetime.datetime, days: int) -> datetime.datetime:
    """`days` working days after `start`, at the same time of day in the site's time zone.

    A working day is Monday to Friday, except England's bank holidays (with their substitute
    days: Boxing Day 2026 falls on a Saturday, so Monday 28 December is not a working day)
    and the council's own closure days (`BROKERAGE_EXTRA_CLOSED_DAYS`). Bank holidays come
    from the `holidays` package, offline; a bank holiday announced after its release (a
    coronation, a state funeral) is added as a closure day until the package is upgraded."""
    current = timezone.localtime(start) if timezone.is_aware(start) else start
    added = 0
    while added < days:
        current += datetime.timedelta(days=1)
        if is_working_day(current.date()):
            added += 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count


def is_working_day(day: datetime.date) -> bool:
    return (
        day.isoweekday() <= 5
        and day not in england_bank_holidays(day.year)
        and day not in extra_closed_days()
    )


@functools.lru_cache(maxsize=16)
def england_bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year))


def extra_closed_days() -> frozenset[datetime.date]:
    return parse_closed_days(tuple(settings.BROKERAGE_EXTRA_CLOSED_DAYS))


@functools.lru_cache(maxsize=4)
def parse_closed_days(values: tuple) -> frozenset[datetime.date]:
    """ISO dates ("2026-12-24") or dates. Anything else is a configuration mistake, refused
    by name (and by `manage.py check`, see brokerage/checks.py)."""
    days = set()
    for value in values:
        if isinstance(value, datetime.date):
            days.add(value)
            continue
        try:
            days.add(datetime.date.fromisoformat(str(value).strip()))
        except ValueError:
            raise ImproperlyConfigured(
                f"BROKERAGE_EXTRA_CLOSED_DAYS: “{value}” is not a date written like 2026-12-24"
            ) from None
    return frozenset(days)
