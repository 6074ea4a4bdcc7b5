"""The embedded backend: the database does the filtering, with an indexed latitude/longitude
bounding box; exact great-circle distances and the ordering are computed here. The same on
SQLite and PostgreSQL."""

import datetime
import math
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db import connection

from directory.models import ListingPage, today

from ..query import (
    MILES_PER_DEGREE_LATITUDE,
    Match,
    Mode,
    SearchQuery,
    SearchResults,
    Sort,
    bounding_box,
)
from ..query import haversine_miles as distance
from .listing_sql import ListingSQL, id_condition, id_param

FACETS = {
    "service_types": "service_types__slug",
    "needs": "needs__slug",
    "skills": "skills__slug",
    "funding": "funding_accepted__slug",
    "languages": "languages__slug",
    "access_features": "access_features__slug",
}


class RankingBackend:
    """What every backend shares, so they cannot drift apart: widening the radius, combining
    the two questions with their reasons, ordering, paging (docs/decisions/0005). A backend
    supplies `candidates`, `where_can_i_go`, `come_to_me`, `listing_rows` and `facet_counts`.
    """

    name = ""

    def search(self, query: SearchQuery) -> SearchResults:
        base = self.candidates(query)
        if query.place is None:
            return self.without_place(query, base)
        steps = query.radius_steps()
        enough = settings.SEARCH_ENOUGH_RESULTS
        come = self.come_to_me(query, base) if query.mode != Mode.GO else {}
        tried, matches = [], []
        for radius in steps:
            tried.append(radius)
            go = self.where_can_i_go(query, base, radius) if query.mode != Mode.COME else {}
            matches = self.combine(query, go, come)
            if len(matches) >= enough or query.radius_miles is not None:
                break
        radius = tried[-1] if tried else None
        return self.finish(query, matches, radius, tried)

    # --- putting it together -----------------------------------------------------------------

    def combine(self, query, go: dict, come: dict) -> list[Match]:
        stale_before = today() - settings_weeks(settings.FRESHNESS_STALE_WEEKS)
        matches = {}
        for pk, (row, miles) in go.items():
            matches[pk] = make_match(row, miles, stale_before)
            matches[pk].reasons.append(f"You travel {miles:.1f} miles to get there")
        for pk, (row, miles, within, serving) in come.items():
            why = []
            if within:
                why.append(f"Comes to you: travels up to {row[6]} miles, and you are {miles:.1f}")
            if serving:
                area = query.place.local_authority_name or "your council area"
                why.append(f"Comes to you: covers {area}")
            match = matches.get(pk)
            if match is None:
                match = matches[pk] = make_match(row, miles, stale_before)
            match.comes_to_you = True
            match.reasons = why + match.reasons
        return list(matches.values())

    def finish(self, query, matches, radius, tried) -> SearchResults:
        if query.sort == Sort.RELEVANCE and query.text.strip():
            score_text(matches, query.text)
        order(matches, query.sort)
        facets = self.facet_counts([m.listing_id for m in matches])
        start = (max(1, query.page) - 1) * query.page_size
        return SearchResults(
            query=query,
            matches=matches[start : start + query.page_size],
            total=len(matches),
            radius_miles=radius,
            tried_radii=tried,
            facets=facets,
            backend=self.name,
        )

    def without_place(self, query, base) -> SearchResults:
        stale_before = today() - settings_weeks(settings.FRESHNESS_STALE_WEEKS)
        matches = [make_match(row, None, stale_before) for row in self.listing_rows(base)]
        return self.finish(query, matches, None, [])


class EmbeddedBackend(RankingBackend):
    name = "embedded"

    def search(self, query: SearchQuery) -> SearchResults:
        self._nearby = None  # what this search has read from the database, for this search only
        return super().search(query)

    def candidates(self, query: SearchQuery) -> ListingSQL:
        return ListingSQL(query.filters, query.text)

    def listing_rows(self, base: ListingSQL):
        return base.rows()

    def facet_counts(self, ids: list[int]) -> dict[str, dict[str, int]]:
        return facet_counts(ids)

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
       within the first radius, the providers whose own travel radius nearly reaches the
       family (plain arithmetic in SQL: no trigonometry, no joins) and the providers who cover
       the family's council. Exact distances are measured here.
    2. What (`ListingSQL`): the filters and visibility rules, written as SQL once, run on
       the ids found in 1, so their cost follows the listings near the family, not the size
       of the directory.
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
        venues, travellers, self.serving = geography(
            place,
            venue_radius=self.venue_reach,
            longest=longest_travel() if come else 0,
            council=place.local_authority_code if come else "",
        )
        self.travellers = {
            pk: miles
            for pk, (lat, lon, travels) in travellers.items()
            if (miles := distance(place.latitude, place.longitude, lat, lon)) <= travels
        }
        self.venues = self.measure(venues, self.venue_reach)
        wanted = set(self.venues) | set(self.travellers) | self.serving
        self.known = {row[0]: row for row in self.rows.rows(wanted)}

    def measure(self, positions: dict, reach: float) -> dict[int, float]:
        place = self.place
        return {
            pk: miles
            for pk, (lat, lon, _) in positions.items()
            if (miles := distance(place.latitude, place.longitude, lat, lon)) <= reach
        }

    def venues_within(self, radius: float) -> dict[int, tuple]:
        if radius > self.venue_reach:  # widening: read the widest radius once
            reach = max([radius, *self.query.radius_steps()])
            venues, _, _ = geography(self.place, venue_radius=reach)
            self.venues = self.measure(venues, reach)
            self.venue_reach = reach
            missing = set(self.venues) - set(self.known)
            self.known.update((row[0], row) for row in self.rows.rows(missing))
        known = self.known
        return {
            pk: (known[pk], miles)
            for pk, miles in self.venues.items()
            if miles <= radius and pk in known and known[pk][4]  # at a venue
        }

    def coming(self) -> dict[int, tuple]:
        place, known, found = self.place, self.known, {}
        for pk in set(self.travellers) | self.serving:
            row = known.get(pk)
            if row is None or not row[5]:  # filtered out, or does not come to families
                continue
            miles = self.travellers.get(pk)
            if miles is None:
                miles = distance(place.latitude, place.longitude, row[2], row[3])
            within = pk in self.travellers
            found[pk] = (row, miles, within, pk in self.serving)
        return found


def longest_travel() -> int:
    """The furthest any listing travels (an indexed MAX): no box need be wider."""
    table = connection.ops.quote_name(ListingPage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(travel_radius_miles) FROM {table}")  # noqa: S608
        longest = cursor.fetchone()[0]
    return min(longest or 0, settings.SEARCH_MAX_TRAVEL_MILES)


REACH_MARGIN = 1.02  # the flat-earth distance is within 1% of the true one at these ranges


def geography(
    place, *, venue_radius: float = 0, longest: float = 0, council: str = "", extra: float = 0
):
    """Where, in one query read from the position index alone (no filters):

    - venues in the box around `venue_radius`;
    - providers who travel, in the box of the `longest` anyone does, whose own radius (plus
      `extra` miles, for matching's near misses) nearly reaches `place`:
      dx^2 + dy^2 <= ((radius + extra) x margin)^2 in miles, plain arithmetic that SQLite and
      PostgreSQL both do from the index, no trigonometry in SQL;
    - the providers who travel and cover the `council` (by its code).

    Returns ({venue id: (lat, lon, radius)}, {provider id: (lat, lon, radius)}, {ids})."""
    table = connection.ops.quote_name(ListingPage._meta.db_table)
    columns = "page_ptr_id, latitude, longitude, travel_radius_miles"
    in_box = "latitude >= %s AND latitude <= %s AND longitude >= %s AND longitude <= %s"
    parts, params = [], []
    if venue_radius > 0:
        venue = f"SELECT 1, {columns} FROM {table} WHERE {in_box} AND at_venue = %s"  # noqa: S608
        parts.append(venue)
        params += [*bounding_box(place.latitude, place.longitude, venue_radius), True]
    if longest > 0:
        cos_lat = math.cos(math.radians(place.latitude))
        parts.append(
            f"SELECT 2, {columns} FROM {table} WHERE {in_box} "  # noqa: S608
            "AND comes_to_family = %s "
            "AND ((latitude - %s) * %s) * ((latitude - %s) * %s) "
            "+ ((longitude - %s) * %s) * ((longitude - %s) * %s) "
            "<= ((travel_radius_miles + %s) * %s) * ((travel_radius_miles + %s) * %s)"
        )
        dy, dx = MILES_PER_DEGREE_LATITUDE, MILES_PER_DEGREE_LATITUDE * cos_lat
        params += [*bounding_box(place.latitude, place.longitude, longest), True]
        params += [place.latitude, dy, place.latitude, dy]
        params += [place.longitude, dx, place.longitude, dx]
        params += [float(extra), REACH_MARGIN, float(extra), REACH_MARGIN]
    if council:
        served = ListingPage.served_local_authorities
        through = served.through._meta.db_table
        authorities = served.field.related_model._meta.db_table
        parts.append(
            f"SELECT 3, x.listingpage_id, NULL, NULL, NULL FROM {through} x "  # noqa: S608
            f"JOIN {authorities} a ON a.id = x.localauthority_id "
            f"JOIN {table} l ON l.page_ptr_id = x.listingpage_id "
            "WHERE a.code = %s AND l.comes_to_family = %s"
        )
        params += [council, True]
    venues, travellers, serving = {}, {}, set()
    if not parts:
        return venues, travellers, serving
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)  # every value is bound
        for part, pk, lat, lon, travels in cursor.fetchall():
            if part == 1:
                venues[pk] = (lat, lon, travels)
            elif part == 2:
                travellers[pk] = (lat, lon, travels)
            else:
                serving.add(pk)
    return venues, travellers, serving


def settings_weeks(weeks: int) -> datetime.timedelta:
    return datetime.timedelta(weeks=weeks)


def make_match(row, miles: float | None, stale_before: datetime.date) -> Match:
    assured = row[7]
    return Match(
        listing_id=row[0],
        distance_miles=round(miles, 1) if miles is not None else None,
        comes_to_you=False,
        reasons=[],
        stale=assured is not None and assured <= stale_before,
        title=row[1],
        assured_date=assured,
    )


TEXT_WEIGHTS = (3, 2, 1)  # a word in the name counts most, then the summary, then the rest


def score_text(matches: list[Match], text: str) -> None:
    """How well each listing matches the family's words: for each word, the weight of the
    best place it appears (name, summary, description). Every match has every word somewhere
    (the filter saw to that), so the score orders, it never excludes."""
    words = [w.lower() for w in text.split()[:8]]
    ids = [m.listing_id for m in matches]
    texts = {
        pk: (title.lower(), summary.lower(), description.lower())
        for pk, title, summary, description in ListingPage.objects.filter(pk__in=ids).values_list(
            "pk", "title", "summary", "description"
        )
    }
    for match in matches:
        fields = texts.get(match.listing_id, ("", "", ""))
        match.score = sum(
            next(
                (
                    weight
                    for weight, field in zip(TEXT_WEIGHTS, fields, strict=True)
                    if word in field
                ),
                0,
            )
            for word in words
        )


def order(matches: list[Match], sort: Sort) -> None:
    """Stale listings rank after current ones; then the chosen order; then the name.

    By distance, a listing that comes to the family counts as no travel for them. By
    relevance, the best match to the family's words comes first, then the nearest."""

    def travel(m: Match) -> float:
        if m.comes_to_you or m.distance_miles is None:
            return 0.0
        return m.distance_miles

    if sort == Sort.RELEVANCE:
        matches.sort(key=lambda m: (m.stale, -m.score, travel(m), m.title, m.listing_id))
    elif sort == Sort.CHECKED:
        oldest = datetime.date.min
        matches.sort(key=lambda m: (m.stale, -(m.assured_date or oldest).toordinal(), m.title))
    else:
        matches.sort(key=lambda m: (m.stale, travel(m), m.title, m.listing_id))


def facet_counts(ids: Iterable[int]) -> dict[str, dict[str, int]]:
    """How many of these listings have each kind and each taxonomy item: one grouped query
    over the link tables (no page rows, no ordering), so it costs little even for thousands."""
    counts: dict[str, Counter] = {"kinds": Counter(), **{name: Counter() for name in FACETS}}
    listing_table = ListingPage._meta.db_table
    # Table and column names come from the models; every id is a bound parameter.
    parts = [
        f"SELECT 'kinds', kind, COUNT(*) FROM {listing_table} "  # noqa: S608
        "WHERE {page_ptr_id} GROUP BY kind"
    ]
    for name, path in FACETS.items():
        field = getattr(ListingPage, path.split("__")[0])
        through = field.through._meta.db_table
        target = field.field.related_model._meta
        column = f"{target.model_name}_id"
        parts.append(
            f"SELECT '{name}', t.slug, COUNT(*) FROM {through} x "  # noqa: S608
            f"JOIN {target.db_table} t ON t.id = x.{column} "
            "WHERE {x.listingpage_id} GROUP BY t.slug"
        )
    ids = list(ids)
    if not ids:
        return {name: dict(counter) for name, counter in counts.items()}
    sql, params, prefix = [], [], ""
    if connection.vendor != "postgresql":  # the ids once, as a table every part reads
        prefix = "WITH ids(id) AS (SELECT value FROM json_each(%s)) "
        params = [id_param(ids)]
    for part in parts:
        column = "x.listingpage_id" if "{x.listingpage_id}" in part else "page_ptr_id"
        if prefix:
            condition, values = f"{column} IN (SELECT id FROM ids)", []  # noqa: S608
        else:
            condition, values = id_condition(column, ids)
        sql.append(part.replace("{" + column + "}", condition))
        params += values
    with connection.cursor() as cursor:
        cursor.execute(prefix + " UNION ALL ".join(sql), params)
        for name, value, count in cursor.fetchall():
            counts[name][value] += count
    return {name: dict(counter) for name, counter in counts.items()}
