"""What families see of a listing today, in plain words for its provider: shown, shown as out
of date, paused (not taking bookings until a day), closed, or hidden, why, and what to do.
The provider's dashboard reads it; the rule itself is `directory/rules.py`, so what it says
is what search and the public pages do."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import dateformat

from core.dates import today

from . import rules
from .choices import Freshness

SHOWN, OUT_OF_DATE, HIDDEN, NOT_YET = "shown", "out_of_date", "hidden", "not_yet"
PAUSED, CLOSED = "paused", "closed"
CONFIRM = "Press “Confirm still accurate”, or edit the listing and submit it."
REOPEN = "Press “Reopen” when you take bookings again."


def day(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


@dataclass(frozen=True)
class FamilyView:
    state: str  # SHOWN, OUT_OF_DATE, PAUSED, CLOSED, HIDDEN or NOT_YET
    label: str  # "Shown to families"
    why: str = ""
    what_to_do: str = ""
    changes_waiting: bool = False


def family_view(listing, status, on: datetime.date | None = None) -> FamilyView:
    on = on or today()
    waiting = bool(listing.live and listing.has_unpublished_changes)
    if not listing.live:
        return FamilyView(
            NOT_YET,
            "Not shown yet",
            "A council moderator has not approved it yet.",
            "Nothing: we will email you when it is approved, or what to change.",
        )
    cutoffs = rules.Cutoffs.on(on)
    if status is not None and status.closed_on:
        return FamilyView(
            CLOSED,
            "Closed: hidden from families",
            f"You closed it on {day(status.closed_on)}. Families cannot find it.",
            REOPEN,
            waiting,
        )
    if status is not None and rules.dbs_hidden(status.dbs_lapsed_on, cutoffs):
        return FamilyView(
            HIDDEN,
            "Hidden from families",
            f"A DBS check lapsed on {day(status.dbs_lapsed_on)}, more than "
            f"{settings.DBS_LAPSE_GRACE_DAYS} days ago.",
            "Send the new DBS check in Safeguarding (DBS). The council verifies it.",
            waiting,
        )
    assured = status.assured_date if status else None
    freshness = rules.freshness(assured, cutoffs)
    if freshness == Freshness.EXPIRED:
        since = f" since {day(assured)}" if assured else ""
        return FamilyView(
            HIDDEN,
            "Hidden from families",
            f"Not confirmed as accurate{since}: {settings.FRESHNESS_EXPIRED_WEEKS} weeks or more.",
            CONFIRM,
            waiting,
        )
    if status is not None and rules.paused(status.paused_until, cutoffs):
        return FamilyView(
            PAUSED,
            f"Shown as not taking bookings until {day(status.paused_until)}",
            "You paused it. Families can still find it.",
            f"Nothing: it takes bookings again on {day(status.paused_until)}. "
            "Or press “Reopen” now.",
            waiting,
        )
    if freshness == Freshness.STALE:
        hidden_on = assured + datetime.timedelta(weeks=settings.FRESHNESS_EXPIRED_WEEKS)
        return FamilyView(
            OUT_OF_DATE,
            "Shown as out of date",
            f"Last confirmed on {day(assured)}. Families see a warning, and it will be "
            f"hidden on {day(hidden_on)}.",
            CONFIRM,
            waiting,
        )
    if status is not None and status.dbs_lapsed_on:
        hidden_on = status.dbs_lapsed_on + datetime.timedelta(days=settings.DBS_LAPSE_GRACE_DAYS)
        return FamilyView(
            SHOWN,
            "Shown to families, with a DBS warning",
            f"A DBS check lapsed on {day(status.dbs_lapsed_on)}. The listing will be "
            f"hidden on {day(hidden_on)}.",
            "Send the new DBS check in Safeguarding (DBS).",
            waiting,
        )
    return FamilyView(SHOWN, "Shown to families", changes_waiting=waiting)
