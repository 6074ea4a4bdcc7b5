"""The embedded backend: the database does the filtering, with an indexed latitude/longitude
bounding box; exact great-circle distances and the ordering are computed here. The same on
SQLite and PostgreSQL."""

import functools
import math
from collections import Counter

from django.conf import settings
from django.db import connection

from directory.models import ListingPage

from ..query import (
    FACETS,
    MILES_PER_DEGREE_LATITUDE,
    Match,
    Mode,
    SearchQuery,
    SearchResults,
    bounding_box,
    miles_from,
)
from .base import RankingBackend
from .listing_sql import ListingSQL, fetch_all, id_param, id_sql


class EmbeddedBackend(RankingBackend):
    name = "embedded"

    def search(self, query: SearchQuery) -> SearchResults:
        self._nearby = None  # what this search has read from the database, for this search only
        return super().search(query)

    def candidates(self, query: SearchQuery) -> ListingSQL:
        return ListingSQL(query.filters, query.text)

    def listing_rows(self, base: ListingSQL):
        return base.rows()

    def facet_counts(self, matches: list[Match]) -> dict[str, dict[str, int]]:
        return facet_counts(matches)

    # --- the two questions -----------------------------------------------------------------

    def nearby(self, query, base) -> "Nearby":
        if getattr(self, "_nearby", None) is None:
            self._nearby = Nearby(query, base)
        return self._nearby

    def where_can_i_go(self, query, base, radius) -> dict[int, tuple]:
        """Venues within `radius`, measured exactly here."""
        return self.nearby(query, base).venues_within(radius)

    def come_to_me(self, query, base) -> dict[int, tuple]:
        """Providers whose travel radius reaches the family, or who cover their council area."""
        return self.nearby(query, base).coming()


class Nearby:
    """What one search reads from the database, in as few queries as the answer allows.

    1. Where (`geography`): one query, from the position index alone, gives the venues
       within the first radius, the providers whose own travel radius reaches the family
       (plain arithmetic in SQL, a little generous: no trigonometry, no joins) and the
       providers who cover the family's council.
    2. What (`ListingSQL`): the filters and visibility rules, written as SQL once, run on
       the ids found in 1, so their cost follows the listings near the family, not the size
       of the directory. Exact distances are measured here, for the rows that pass only: in
       a city, hundreds of assistants travel to the family and most are filtered out.
    3. Widening: if the first radius gives too few, the widest radius is read once (1 and 2
       again, for the venues not yet read), and later steps are answered from it.

    So a search costs a fixed handful of queries, two more when it widens."""

    def __init__(self, query: SearchQuery, base):
        self.query = query
        self.place = place = query.place
        self.rows = base
        steps = query.radius_steps()
        self.venue_reach = steps[0] if steps and query.mode != Mode.COME else 0
        come = query.mode != Mode.GO
        self.venues, self.travellers, self.serving = geography(
            place,
            venue_radius=self.venue_reach,
            travellers=come,
            council=place.local_authority_code if come else "",
        )
        self.known: dict[int, tuple] = {}
        self.miles: dict[int, float] = {}
        self.read(self.venues | self.travellers | self.serving)

    def read(self, ids: set[int]) -> None:
        """The rows among `ids` that pass the filters, and how far each is from the family."""
        miles_to = miles_from(self.place.latitude, self.place.longitude)
        for row in self.rows.rows(ids):
            self.known[row[0]] = row
            self.miles[row[0]] = miles_to(row[2], row[3])

    def venues_within(self, radius: float) -> dict[int, tuple]:
        if radius > self.venue_reach:  # widening: read the widest radius once
            reach = max([radius, *self.query.radius_steps()])
            self.venues, _, _ = geography(self.place, venue_radius=reach)
            self.venue_reach = reach
            self.read(self.venues - set(self.known))
        known, miles = self.known, self.miles
        return {
            pk: (known[pk], miles[pk])
            for pk in self.venues
            if pk in known and miles[pk] <= radius and known[pk][4]  # at a venue
        }

    def coming(self) -> dict[int, tuple]:
        known, miles, found = self.known, self.miles, {}
        for pk in self.travellers | self.serving:
            row = known.get(pk)
            if row is None or not row[5]:  # filtered out, or does not come to families
                continue
            within = pk in self.travellers and miles[pk] <= (row[6] or 0)
            serving = pk in self.serving
            if within or serving:
                found[pk] = (row, miles[pk], within, serving)
        return found


def longest_travel_sql() -> tuple[str, list]:
    """SQL for the furthest any listing travels, capped at SEARCH_MAX_TRAVEL_MILES: an indexed
    MAX, read inside the query that needs it rather than in a round trip of its own."""
    table = connection.ops.quote_name(ListingPage._meta.db_table)
    cap = settings.SEARCH_MAX_TRAVEL_MILES
    return (
        f"(SELECT CASE WHEN MAX(travel_radius_miles) > %s THEN %s "  # noqa: S608
        f"ELSE COALESCE(MAX(travel_radius_miles), 0) END FROM {table})",
        [cap, cap],
    )


def longest_travel() -> int:
    """The furthest any listing travels (the benchmark's floor uses the same box)."""
    sql, params = longest_travel_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)  # noqa: S608
        return cursor.fetchone()[0]


REACH_MARGIN = 1.02  # the flat-earth distance is within 1% of the true one at these ranges


def geography(
    place, *, venue_radius: float = 0, travellers: bool = False, council: str = "", extra: float = 0
) -> tuple[set[int], set[int], set[int]]:
    """Where, in one query read from the position index alone (no filters), the ids of:

    - venues within `venue_radius`;
    - with `travellers`, providers who travel, in the box of the furthest anyone does (plus
      `extra`), whose own radius plus `extra` (matching's near misses) reaches `place`;
    - the providers who travel and cover the `council` (by its code).

    Distances here are flat-earth, in miles north and east of the family (dx^2 + dy^2 <=
    (reach x margin)^2): plain arithmetic that SQLite and PostgreSQL both do on the index,
    no trigonometry in SQL. The margin makes them a little generous; callers measure exactly
    the few listings they keep."""
    table = connection.ops.quote_name(ListingPage._meta.db_table)
    # Typed, so that PostgreSQL does the arithmetic for each row in floating point: an untyped
    # 1.02 is a NUMERIC, and numeric arithmetic on every provider in the box took milliseconds.
    real = "CAST(%s AS DOUBLE PRECISION)"
    dy = MILES_PER_DEGREE_LATITUDE
    dx = MILES_PER_DEGREE_LATITUDE * math.cos(math.radians(place.latitude))
    away = f"((latitude - {real}) * {real}) * ((latitude - {real}) * {real}) "
    away += f"+ ((longitude - {real}) * {real}) * ((longitude - {real}) * {real})"
    away_params = [place.latitude, dy, place.latitude, dy, place.longitude, dx, place.longitude, dx]
    parts, params = [], []
    if venue_radius > 0:
        in_box = "latitude >= %s AND latitude <= %s AND longitude >= %s AND longitude <= %s"
        parts.append(
            f"SELECT 1, page_ptr_id FROM {table} WHERE {in_box} AND at_venue = %s "  # noqa: S608
            f"AND {away} <= {real}"
        )
        params += [*bounding_box(place.latitude, place.longitude, venue_radius), True]
        params += [*away_params, (venue_radius * REACH_MARGIN) ** 2]
    if travellers:
        # The box of the longest radius anyone travels (read in this query, from its index):
        # its half-sides are that many miles times the degrees in a mile at this latitude.
        longest, longest_params = longest_travel_sql()
        reach = f"({longest} + {real})"
        _, max_lat, _, max_lon = bounding_box(place.latitude, place.longitude, 1)
        lat_per_mile, lon_per_mile = max_lat - place.latitude, max_lon - place.longitude
        box = []
        for side, centre, per_mile in (
            ("latitude >=", place.latitude, -lat_per_mile),
            ("latitude <=", place.latitude, lat_per_mile),
            ("longitude >=", place.longitude, -lon_per_mile),
            ("longitude <=", place.longitude, lon_per_mile),
        ):
            box.append(f"{side} {real} + {reach} * {real}")
            params += [centre, *longest_params, float(extra), per_mile]
        grown = f"((travel_radius_miles + {real}) * {real})"  # own radius, plus, with margin
        parts.append(
            f"SELECT 2, page_ptr_id FROM {table} WHERE {' AND '.join(box)} "  # noqa: S608
            f"AND comes_to_family = %s AND {away} <= {grown} * {grown}"
        )
        params += [True, *away_params, float(extra), REACH_MARGIN, float(extra), REACH_MARGIN]
    if council:
        served = ListingPage.served_local_authorities
        through = served.through._meta.db_table
        authorities = served.field.related_model._meta.db_table
        parts.append(
            f"SELECT 3, x.listingpage_id FROM {through} x "  # noqa: S608
            f"JOIN {authorities} a ON a.id = x.localauthority_id "
            f"JOIN {table} l ON l.page_ptr_id = x.listingpage_id "
            "WHERE a.code = %s AND l.comes_to_family = %s"
        )
        params += [council, True]
    found: dict[int, set[int]] = {1: set(), 2: set(), 3: set()}
    if parts:
        for part, pk in fetch_all(" UNION ALL ".join(parts), params):  # every value is bound
            found[part].add(pk)
    return found[1], found[2], found[3]


def facet_counts(matches: list[Match]) -> dict[str, dict[str, int]]:
    """How many of these matches are of each kind (known already) and have each taxonomy
    item: one query, the link tables grouped by item id (no page rows, no ordering, no joins)
    beside each taxonomy's few (id, slug) rows. Leaving the joins to Python halved what
    PostgreSQL spent planning it, and the answer is the same whatever the taxonomy holds."""
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    counts["kinds"] = Counter(match.kind for match in matches)
    if matches:
        sql, placeholders = facet_sql(connection.vendor)
        ids = id_param([match.listing_id for match in matches])
        slugs: dict[tuple[str, int], str] = {}
        items: list[tuple[str, int, int]] = []
        for name, item, slug, count in fetch_all(sql, [ids] * placeholders):
            if count is None:
                slugs[name, item] = slug
            else:
                items.append((name, item, count))
        for name, item, count in items:
            counts[name][slugs[name, item]] += count
    return {name: dict(counter) for name, counter in counts.items()}


@functools.cache
def facet_sql(vendor: str) -> tuple[str, int]:
    """The facet query for this database, written once: rows of (facet, item id, slug, count),
    counts without a slug and slugs without a count; and how many times it binds the ids.
    Table and column names come from the models; the ids are bound parameters."""
    quote = connection.ops.quote_name
    if vendor == "postgresql":
        prefix, among = "", id_sql("x.listingpage_id")
    else:  # SQLite reads the ids once, as a table every part reads
        prefix = "WITH ids(id) AS (SELECT value FROM json_each(%s)) "
        among = "x.listingpage_id IN (SELECT id FROM ids)"
    parts = []
    for name, relation in FACETS.items():
        field = getattr(ListingPage, relation)
        through = quote(field.through._meta.db_table)
        target = field.field.related_model._meta
        column = quote(f"{target.model_name}_id")
        parts.append(
            f"SELECT '{name}', x.{column}, NULL, COUNT(*) FROM {through} x "  # noqa: S608
            f"WHERE {among} GROUP BY x.{column}"
        )
        parts.append(f"SELECT '{name}', t.id, t.slug, NULL FROM {quote(target.db_table)} t")  # noqa: S608
    placeholders = 1 if prefix else len(FACETS)
    return prefix + " UNION ALL ".join(parts), placeholders
