"""Search's public interface: what the rest of the product (views, brokerage's matching) may
use. Everything behind it (which backend answers, how it reads the database or the engine)
may change without the callers knowing."""

from .backends import get_backend, run
from .backends.embedded import geography
from .backends.listing_sql import id_filter
from .query import (
    Filters,
    Match,
    Mode,
    Place,
    SearchQuery,
    SearchResults,
    Sort,
    haversine_miles,
    how_far,
    miles_words,
)
from .shortlist import saved_by as shortlist_of

__all__ = [
    "Filters",
    "Match",
    "Mode",
    "Place",
    "SearchQuery",
    "SearchResults",
    "Sort",
    "get_backend",
    "haversine_miles",
    "how_far",
    "listing_id_filter",
    "listings_reaching",
    "miles_words",
    "run",
    "shortlist_of",
]


def listings_reaching(
    place: Place,
    *,
    venue_radius: float = 0,
    travellers: bool = False,
    council: str = "",
    extra: float = 0,
) -> tuple[set[int], set[int], set[int]]:
    """The ids of the listings that may reach `place`, from their positions alone (no filters,
    no visibility: the caller applies its own): venues within `venue_radius` miles; with
    `travellers`, providers whose own travel radius plus `extra` miles reaches it (a little
    generously: measure exactly the few you keep); and the providers who cover the `council`
    (by its code). Read from the database whichever backend answers searches."""
    return geography(
        place, venue_radius=venue_radius, travellers=travellers, council=council, extra=extra
    )


def listing_id_filter(ids):
    """A filter for a ListingPage queryset: the listing is one of `ids`, bound as one
    parameter so that thousands of ids cost no more to prepare than one."""
    return id_filter(ids)
