"""The one visibility rule: which listings a family may find, and which rank as stale, on a day.

- Freshness: a listing confirmed accurate (`assured_date`) `FRESHNESS_STALE_WEEKS` or more ago
  is stale (still shown and marked, ranked after current listings at the same distance or
  below them by relevance, a near miss for matching); `FRESHNESS_EXPIRED_WEEKS` or
  more ago it is expired and leaves the directory until confirmed. Never confirmed is expired.
- Safeguarding: a lapsed DBS check flags the listing at once and hides it once
  `DBS_LAPSE_GRACE_DAYS` have passed since it lapsed.
- Withdrawn by the provider: a closed service leaves the directory until it is reopened; a
  paused one stays in it, saying it takes no bookings until the day it resumes.
- Kitemark: current up to and including the day it expires.
- Position: a personal assistant, or anyone who does not run a venue (so works from home or
  from an office families do not visit), is placed at the centre of their postcode district
  for searching (`private_position`), so nothing the product says can locate them more
  exactly than the district their public page names.

The directory's queries, both search backends and brokerage's matching take their dates from
`Cutoffs.on(day)`, each writing the comparison in its own query language, so a listing is
visible (or stale) in all of them on the same days. tests/directory/test_visibility_rule.py
feeds all four the same listings at every boundary.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings

from .choices import Freshness, ListingKind


@dataclass(frozen=True)
class Cutoffs:
    """The dates that decide visibility on `day`. Every comparison is "on or before" a
    cut-off, so `assured_date <= stale_on_or_before` is stale, and so on."""

    day: datetime.date
    stale_on_or_before: datetime.date  # confirmed this day or earlier: stale
    expired_on_or_before: datetime.date  # confirmed this day or earlier: hidden
    dbs_hidden_lapsed_on_or_before: datetime.date  # DBS lapsed this day or earlier: hidden
    kitemark_current_from: datetime.date  # a kitemark expiring this day or later is current

    @classmethod
    def on(cls, day: datetime.date) -> "Cutoffs":
        return cls(
            day=day,
            stale_on_or_before=day - datetime.timedelta(weeks=settings.FRESHNESS_STALE_WEEKS),
            expired_on_or_before=day - datetime.timedelta(weeks=settings.FRESHNESS_EXPIRED_WEEKS),
            dbs_hidden_lapsed_on_or_before=day
            - datetime.timedelta(days=settings.DBS_LAPSE_GRACE_DAYS),
            kitemark_current_from=day,
        )


def freshness(assured_date: datetime.date | None, cutoffs: Cutoffs) -> Freshness:
    if assured_date is None or assured_date <= cutoffs.expired_on_or_before:
        return Freshness.EXPIRED  # never approved counts as never confirmed accurate
    if assured_date <= cutoffs.stale_on_or_before:
        return Freshness.STALE
    return Freshness.CURRENT


def is_stale(assured_date: datetime.date | None, cutoffs: Cutoffs) -> bool:
    """Not confirmed accurate recently: stale, expired or never confirmed."""
    return assured_date is None or assured_date <= cutoffs.stale_on_or_before


def dbs_hidden(dbs_lapsed_on: datetime.date | None, cutoffs: Cutoffs) -> bool:
    return dbs_lapsed_on is not None and dbs_lapsed_on <= cutoffs.dbs_hidden_lapsed_on_or_before


def in_directory(
    assured_date: datetime.date | None,
    dbs_lapsed_on: datetime.date | None,
    cutoffs: Cutoffs,
    closed: bool = False,
) -> bool:
    """Whether a family may find the listing (its page being live and public aside)."""
    return (
        not closed
        and freshness(assured_date, cutoffs) != Freshness.EXPIRED
        and not dbs_hidden(dbs_lapsed_on, cutoffs)
    )


def paused(paused_until: datetime.date | None, cutoffs: Cutoffs) -> bool:
    """Taking no bookings on the day: paused until a later day."""
    return paused_until is not None and paused_until > cutoffs.day


def kitemarked(kitemark_expires_on: datetime.date | None, cutoffs: Cutoffs) -> bool:
    return kitemark_expires_on is not None and kitemark_expires_on >= cutoffs.kitemark_current_from


def private_position(kind: str, at_venue: bool) -> bool:
    """Whether a listing's position is a person's: searched from their district's centre only."""
    return kind == ListingKind.PERSONAL_ASSISTANT or not at_venue
