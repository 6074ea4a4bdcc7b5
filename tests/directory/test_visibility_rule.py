"""One visibility rule: the directory, both search backends and brokerage's matching agree on
which listings a family may find and which are stale, on the day before, the day of and the
day after every cut-off (directory/rules.py)."""

import datetime

import pytest
from freezegun import freeze_time

from brokerage.matching import match
from directory.choices import DBSStatus, Freshness
from directory.models import ListingPage, ListingStatus
from gazetteer.models import LocalAuthority
from search.backends.embedded import EmbeddedBackend
from search.backends.engine import EngineBackend
from search.indexing import rebuild
from search.places import place_from_postcode
from search.query import SearchQuery
from tests.brokerage.conftest import FAMILY_POSTCODE, make_request
from tests.factories.directory import NORTHUMBERLAND, PersonalAssistantPageFactory

pytestmark = pytest.mark.django_db

date = datetime.date

# Wednesday 10 June 2026, with the product's settings: stale 13 weeks after the listing was
# last confirmed accurate (so confirmed on or before 11 March 2026), hidden after 26 weeks
# (on or before 10 December 2025), hidden 14 days after a DBS check lapsed (on or before
# 27 May 2026).
ON = date(2026, 6, 10)

LISTINGS = {  # title: (confirmed accurate on, DBS check lapsed on)
    "Confirmed today": (date(2026, 6, 10), None),
    "Confirmed the day before the expiry cut-off": (date(2025, 12, 9), None),
    "Confirmed on the expiry cut-off": (date(2025, 12, 10), None),
    "Confirmed the day after the expiry cut-off": (date(2025, 12, 11), None),
    "Confirmed the day before the stale cut-off": (date(2026, 3, 10), None),
    "Confirmed on the stale cut-off": (date(2026, 3, 11), None),
    "Confirmed the day after the stale cut-off": (date(2026, 3, 12), None),
    "DBS lapsed the day before the grace cut-off": (date(2026, 6, 10), date(2026, 5, 26)),
    "DBS lapsed on the grace cut-off": (date(2026, 6, 10), date(2026, 5, 27)),
    "DBS lapsed the day after the grace cut-off": (date(2026, 6, 10), date(2026, 5, 28)),
    "Closed by its provider": (date(2026, 6, 10), None),
    "Paused by its provider": (date(2026, 6, 10), None),
}
WITHDRAWN = {  # title: (closed on, paused until)
    "Closed by its provider": (date(2026, 6, 1), None),
    "Paused by its provider": (None, date(2026, 7, 1)),
}

VISIBLE = {
    "Confirmed today",
    "Confirmed the day after the expiry cut-off",
    "Confirmed the day before the stale cut-off",
    "Confirmed on the stale cut-off",
    "Confirmed the day after the stale cut-off",
    "DBS lapsed the day after the grace cut-off",
    "Paused by its provider",
}
STALE = {
    "Confirmed the day after the expiry cut-off",
    "Confirmed the day before the stale cut-off",
    "Confirmed on the stale cut-off",
}


@pytest.fixture
def on_the_day(directory):
    with freeze_time(ON):
        yield


@pytest.fixture
def listings(on_the_day):
    """Personal assistants near a Hexham family, who would all be offered to the family but
    for when they were last confirmed accurate and when their DBS check lapsed."""
    for title, (assured_date, dbs_lapsed_on) in LISTINGS.items():
        listing = PersonalAssistantPageFactory(title=title, dbs=True)
        ListingStatus.objects.filter(listing_id=listing.pk).update(
            assured_date=assured_date,
            dbs_lapsed_on=dbs_lapsed_on,
            dbs_status=DBSStatus.LAPSED if dbs_lapsed_on else DBSStatus.VERIFIED,
        )
        closed_on, paused_until = WITHDRAWN.get(title, (None, None))
        ListingStatus.objects.filter(listing_id=listing.pk).update(
            closed_on=closed_on, paused_until=paused_until
        )


def found_by_search(backend) -> tuple[set[str], set[str]]:
    place = place_from_postcode(FAMILY_POSTCODE)[0]
    results = backend.search(SearchQuery(place=place, page_size=100))
    return {m.title for m in results.matches}, {m.title for m in results.matches if m.stale}


def found_by_matching(family) -> tuple[set[str], set[str]]:
    LocalAuthority.objects.get_or_create(code=NORTHUMBERLAND, defaults={"name": "Northumberland"})
    result = match(make_request(family))
    shown = result.candidates + result.near_misses
    stale = {s.title for s in shown if any("Not confirmed accurate" in f for f in s.failures)}
    return {s.title for s in shown}, stale


def test_the_directory_search_and_matching_agree_at_every_cut_off(
    listings, engine_settings, family
):
    rebuild()
    statuses = ListingStatus.objects.select_related("listing")
    by_status = (
        {s.listing.title for s in statuses if s.in_directory()},
        {s.listing.title for s in statuses if s.freshness() == Freshness.STALE},
    )
    by_database_search = found_by_search(EmbeddedBackend())
    by_engine_search = found_by_search(EngineBackend())
    by_matching = found_by_matching(family)

    visible = {
        "directory queries": set(
            ListingPage.objects.in_directory().values_list("title", flat=True)
        ),
        "listing status": by_status[0],
        "database search": by_database_search[0],
        "engine search": by_engine_search[0],
        "matching": by_matching[0],
    }
    stale = {
        "listing status": by_status[1],
        "database search": by_database_search[1],
        "engine search": by_engine_search[1],
        "matching": by_matching[1],
    }
    assert visible == dict.fromkeys(visible, VISIBLE)
    assert stale == dict.fromkeys(stale, STALE)
