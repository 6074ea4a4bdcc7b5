"""The one search interface: a `SearchQuery` goes in, `SearchResults` come out.

Views build a query from the family's form and call `search.api.run(query)`; they never
know which backend answered. Every backend returns the same matches, in the same order, for
the same data (the shared contract suite in tests/search/test_backend_contract.py).

Two questions, combined by default:
- "Where can I go?"  venues (`at_venue`) within the search radius, nearest first;
- "Who can come to me?"  listings that come to families (`comes_to_family`) whose travel
  radius from their base reaches the family, or who serve the family's local authority.
"""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.conf import settings

MILES_PER_DEGREE_LATITUDE = 69.05
EARTH_RADIUS_MILES = 3958.7613


class Mode(StrEnum):
    BOTH = "both"
    GO = "go"  # where can I go?
    COME = "come"  # who can come to me?


class Sort(StrEnum):
    DISTANCE = "distance"
    RELEVANCE = "relevance"
    CHECKED = "checked"  # most recently checked first


@dataclass(frozen=True)
class Filters:
    """What the family needs. Lists of slugs are "any of" for kinds, service types, funding
    and languages (any one will do) and "all of" for needs, skills and access features (a
    child with autism and epilepsy needs both supported)."""

    kinds: tuple[str, ...] = ()
    service_types: tuple[str, ...] = ()
    age: int | None = None
    needs: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    days: tuple[int, ...] = ()  # ISO weekday numbers, any of
    at_time: datetime.time | None = None
    term_time: bool = False
    school_holidays: bool = False
    overnight: bool = False
    free_only: bool = False
    max_hourly_cost: Decimal | None = None
    funding: tuple[str, ...] = ()
    verified_dbs_only: bool = False
    kitemarked_only: bool = False  # a current kitemark from the young people's panel
    languages: tuple[str, ...] = ()
    access_features: tuple[str, ...] = ()
    has_capacity: bool = False


@dataclass(frozen=True)
class Place:
    """Where the family is: a point, its local authority, and whether it is rural."""

    latitude: float
    longitude: float
    local_authority_code: str = ""
    local_authority_name: str = ""
    rural: bool = False
    label: str = ""  # e.g. "NE48 2" (never the full postcode in logs or records)
    outcode: str = ""  # for a place found by name: what unmet demand records, never the name


@dataclass(frozen=True)
class SearchQuery:
    place: Place | None = None
    mode: Mode = Mode.BOTH
    radius_miles: float | None = None  # None: start from the rural/urban default and widen
    filters: Filters = field(default_factory=Filters)
    text: str = ""
    sort: Sort = Sort.DISTANCE
    page: int = 1
    page_size: int = 20

    def radius_steps(self) -> list[float]:
        """The radii to try, in order. A family's own choice is used as it is."""
        if self.radius_miles is not None or self.place is None:
            return [self.radius_miles] if self.radius_miles is not None else []
        steps = settings.SEARCH_RURAL_RADII if self.place.rural else settings.SEARCH_URBAN_RADII
        return list(steps)


# The counts shown beside the filters: facet name -> the listing's relation, whose slugs are
# counted. The engine indexes each as a keyword field of the same name (search/indexing.py).
FACETS = {
    "service_types": "service_types",
    "needs": "needs",
    "skills": "skills",
    "funding": "funding_accepted",
    "languages": "languages",
    "access_features": "access_features",
}


@dataclass
class Match:
    listing_id: int
    distance_miles: float | None  # from the family to the venue, or to the provider's base
    comes_to_you: bool
    reasons: list[str]
    stale: bool = False
    title: str = ""
    assured_date: datetime.date | None = None
    kind: str = ""  # ListingKind: a short break service, a personal assistant or a club
    score: float = 0.0  # how well it matches the family's words (sort by relevance)
    listing: object = None  # the ListingPage, attached by `attach_listings`
    miles: float | None = None  # the distance unrounded, for ranking; never shown
    has_space: bool = False  # says it has space now
    private_position: bool = False  # a person's: placed at their district's centre
    covers_area: str = ""  # the council area it covers, when it comes anywhere in it
    within_reach: bool = False  # comes to the family: its own travel radius reaches them
    in_radius: bool = False  # a venue within the search's radius
    near: bool = False  # in the radius, or its own travel radius reaches the family

    @property
    def area_only(self) -> bool:
        """Comes to the family only because it covers their whole council area: no distance
        is claimed for it, and it is listed apart, after everything near."""
        return self.comes_to_you and not self.near and bool(self.covers_area)

    @property
    def distance_band(self) -> str:
        """How far, as precisely as may be said: to the mile (or about a tenth under a mile)
        for a venue, a band for a person."""
        if self.distance_miles is None:
            return ""
        if not self.private_position:
            return miles_words(self.distance_miles)
        return distance_band(self.distance_miles)


# Bands for a person's distance, measured from their district's centre: (upper limit, words).
DISTANCE_BANDS = ((5, "within 5 miles"), (10, "5 to 10 miles"), (20, "10 to 20 miles"))


def distance_band(miles: float) -> str:
    for limit, words in DISTANCE_BANDS:
        if miles < limit:
            return words
    return f"more than {DISTANCE_BANDS[-1][0]} miles"


def how_far(miles: float, private: bool) -> str:
    """ "3 miles away", or for a person (`private`: measured from their district's centre) a
    band: "within 5 miles", "5 to 10 miles away"."""
    if not private:
        return f"{miles_words(miles)} away"
    band = distance_band(miles)
    return band if band.startswith("within") else f"{band} away"


def miles_words(value: float) -> str:
    """A distance as a family reads it, always with its unit: "about 0.5 miles" under a
    mile, whole miles from there ("1 mile", "8 miles")."""
    if value < 0.05:
        return "less than 0.1 miles"
    if value < 0.95:
        return f"about {value:.1f} miles"
    whole = int(value + 0.5)  # halves round up, as people do
    return f"{whole} mile{'s' if whole != 1 else ''}"


@dataclass
class SearchResults:
    query: SearchQuery
    matches: list[Match]
    total: int
    radius_miles: float | None
    tried_radii: list[float]
    facets: dict[str, dict[str, int]]
    backend: str
    # Of `total`: venues within the radius, providers whose travel reaches the family, and
    # those that come only because they cover the family's whole council area.
    places: int = 0
    travelling: int = 0
    area_wide: int = 0
    area_name: str = ""

    @property
    def near_matches(self) -> list[Match]:
        return [m for m in self.matches if not m.area_only]

    @property
    def area_matches(self) -> list[Match]:
        """This page's services that come only because they cover the whole council area."""
        return [m for m in self.matches if m.area_only]

    @property
    def widened(self) -> bool:
        return len(self.tried_radii) > 1

    @property
    def message(self) -> str:
        """What the search did, in plain words, counting only what is really within reach."""
        if self.radius_miles is None:
            return ""
        within = f"within {miles(self.radius_miles)}"
        if self.widened and self.total:
            first = miles(self.tried_radii[0])
            return f"Nothing close enough within {first}. Showing {self.found(within)}."
        if self.widened:
            return f"Nothing found {within}, the furthest we search."
        return f"Showing {self.found(within)}."

    def found(self, within: str) -> str:
        parts = []
        if self.places:
            parts.append(f"{counted(self.places, 'place')} {within}")
        if self.travelling:
            who = "who travels" if self.travelling == 1 else "who travel"
            parts.append(
                f"{counted(self.travelling, 'person or service', 'people and services')}"
                f" {who} as far as you"
            )
        if self.area_wide:
            area = self.area_name or "your council area"
            parts.append(f"{counted(self.area_wide, 'service')} covering all of {area}")
        if not parts or self.places + self.travelling + self.area_wide != self.total:
            return f"{counted(self.total, 'result')} {within}"
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def counted(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def miles(value: float) -> str:
    return f"{value:g} mile{'s' if value != 1 else ''}"


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance. Ranking uses this (fast); display may use geopy."""
    return miles_from(lat1, lon1)(lat2, lon2)


def miles_from(lat: float, lon: float) -> Callable[[float, float], float]:
    """Great-circle distances (haversine) from one place, with that place's part of the
    formula worked out once: a search measures hundreds of listings from the same place."""
    phi1 = math.radians(lat)
    cos_phi1 = math.cos(phi1)
    radians, sin, cos, asin, sqrt = math.radians, math.sin, math.cos, math.asin, math.sqrt
    diameter = 2 * EARTH_RADIUS_MILES

    def to(lat2: float, lon2: float) -> float:
        phi2 = radians(lat2)
        a = sin((phi2 - phi1) / 2) ** 2 + cos_phi1 * cos(phi2) * sin(radians(lon2 - lon) / 2) ** 2
        return diameter * asin(min(1.0, sqrt(a)))

    return to


def bounding_box(lat: float, lon: float, radius_miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing a circle: the indexed pre-filter."""
    dlat = radius_miles / MILES_PER_DEGREE_LATITUDE
    dlon = radius_miles / (MILES_PER_DEGREE_LATITUDE * max(0.01, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon
