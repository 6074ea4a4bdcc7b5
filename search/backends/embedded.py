"""The embedded backend: the database does the filtering, with an indexed latitude/longitude
bounding box; exact great-circle distances and the ordering are computed here. The same on
SQLite and PostgreSQL."""

import datetime
import math
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    Value,
)
from django.db.models.expressions import RawSQL

from directory.choices import CostUnit, DBSStatus
from directory.models import ListingPage, today

from ..query import (
    MILES_PER_DEGREE_LATITUDE,
    Filters,
    Match,
    Mode,
    SearchQuery,
    SearchResults,
    Sort,
    bounding_box,
)
from ..query import haversine_miles as distance

FACETS = {
    "service_types": "service_types__slug",
    "needs": "needs__slug",
    "skills": "skills__slug",
    "funding": "funding_accepted__slug",
    "languages": "languages__slug",
    "access_features": "access_features__slug",
}
ROW_FIELDS = (
    "pk",
    "title",
    "latitude",
    "longitude",
    "at_venue",
    "comes_to_family",
    "travel_radius_miles",
    "status__assured_date",
    "kind",
)


def filtered(filters: Filters, text: str = ""):
    """Public listings that meet every filter (no geography). Unordered: the order is the
    ranking's, made afterwards, so the database need not sort by the page tree."""
    qs = ListingPage.objects.in_directory().order_by()
    f = filters
    if f.kinds:
        qs = qs.filter(kind__in=f.kinds)
    if f.service_types:
        qs = qs.filter(having("service_types", servicetype__slug__in=f.service_types))
    for slug in f.needs:
        qs = qs.filter(having("needs", need__slug=slug))
    for slug in f.skills:
        qs = qs.filter(having("skills", skill__slug=slug))
    for slug in f.access_features:
        qs = qs.filter(having("access_features", accessfeature__slug=slug))
    if f.funding:
        qs = qs.filter(having("funding_accepted", fundingroute__slug__in=f.funding))
    if f.languages:
        qs = qs.filter(having("languages", language__slug__in=f.languages))
    if f.days:
        qs = qs.filter(having("days", weekday_id__in=f.days))
    if f.age is not None:
        qs = qs.filter(age_min__lte=f.age, age_max__gte=f.age)
    if f.at_time is not None:
        qs = qs.filter(
            Q(time_from__isnull=True) | Q(time_from__lte=f.at_time, time_to__gt=f.at_time)
        )
    if f.term_time:
        qs = qs.filter(term_time=True)
    if f.school_holidays:
        qs = qs.filter(school_holidays=True)
    if f.overnight:
        qs = qs.filter(overnight=True)
    if f.free_only:
        qs = qs.filter(cost_unit=CostUnit.FREE)
    elif f.max_hourly_cost is not None:
        qs = qs.filter(
            Q(cost_unit=CostUnit.FREE)
            | Q(cost_unit=CostUnit.HOUR, cost_amount__lte=f.max_hourly_cost)
        )
    if f.verified_dbs_only:
        qs = qs.filter(status__dbs_status__in=[DBSStatus.VERIFIED, DBSStatus.DUE_SOON])
    if f.kitemarked_only:
        qs = qs.filter(status__kitemark_expires_on__gte=today())
    if f.has_capacity:
        qs = qs.filter(capacity_now__gt=0)
    for word in text.split()[:8]:
        qs = qs.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word)
        )
    return qs


def having(relation: str, **lookups) -> Exists:
    """The listing has a related taxonomy item matching `lookups`: a correlated EXISTS on the
    link table, checked only for the listings the (indexed) bounding box lets through, so its
    cost follows the listings near the family, not the size of the directory."""
    through = getattr(ListingPage, relation).through
    return Exists(through.objects.filter(listingpage_id=OuterRef("pk"), **lookups))


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
        self._venues = None  # venues fetched while widening, for this search only
        return super().search(query)

    def candidates(self, query: SearchQuery):
        return filtered(query.filters, query.text)

    def listing_rows(self, base):
        return base.values_list(*ROW_FIELDS)

    def facet_counts(self, ids: list[int]) -> dict[str, dict[str, int]]:
        return facet_counts(ids)

    # --- the two questions -----------------------------------------------------------------

    def where_can_i_go(self, query, base, radius) -> dict[int, tuple]:
        """Venues within `radius`. While widening, the second step fetches the widest radius
        once and later steps are answered from it, so a search costs at most two queries."""
        place = query.place
        fetched = getattr(self, "_venues", None)
        if fetched is None or fetched[0] < radius:
            steps = query.radius_steps()
            reach = radius if fetched is None else max([radius, *steps])
            near = {
                pk: miles
                for pk, lat, lon, _ in positions(box(place, reach), at_venue=True)
                if (miles := distance(place.latitude, place.longitude, lat, lon)) <= reach
            }
            measured = [(row, near[row[0]]) for row in rows_of(base, near)]
            fetched = self._venues = (reach, measured)
        return {row[0]: (row, miles) for row, miles in fetched[1] if miles <= radius}

    def come_to_me(self, query, base) -> dict[int, tuple]:
        """Providers whose travel radius reaches the family, or who cover their council area.

        The box is as wide as the furthest anyone travels; inside it the database keeps, from
        the position index alone, the providers whose own radius nearly reaches the family (a
        flat-earth distance, generous by 2%), and the exact distance decides here. So the rows
        read follow the providers who might come, not the size of the directory."""
        place = query.place
        coming = base.filter(comes_to_family=True)
        reaching = {
            pk
            for pk, lat, lon, travels in nearly_reaching(place, longest_travel())
            if distance(place.latitude, place.longitude, lat, lon) <= travels
        }
        rows = {row[0]: row for row in rows_of(coming, reaching)}
        serving = set()
        if place.local_authority_code:
            served = ListingPage.served_local_authorities.through.objects.filter(
                localauthority__code=place.local_authority_code
            ).values("listingpage_id")
            for row in coming.filter(pk__in=served).values_list(*ROW_FIELDS):
                rows[row[0]] = row
                serving.add(row[0])
        found = {}
        for row in rows.values():
            miles = distance(place.latitude, place.longitude, row[2], row[3])
            within = row[6] is not None and miles <= row[6]
            if within or row[0] in serving:
                found[row[0]] = (row, miles, within, row[0] in serving)
        return found


def box(place, radius_miles: float) -> Q:
    """The indexed pre-filter: listings inside the square around a circle of `radius_miles`."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(place.latitude, place.longitude, radius_miles)
    return Q(
        latitude__gte=min_lat,
        latitude__lte=max_lat,
        longitude__gte=min_lon,
        longitude__lte=max_lon,
    )


ID_CHUNK = 5000  # ids per query, well inside every database's parameter limit


def positions(where: Q, **flags) -> list[tuple]:
    """(pk, latitude, longitude, travel radius) of listings in a box: read from the position
    index alone, before any join, filter or visibility rule is paid for."""
    return list(
        ListingPage.objects.filter(where, **flags)
        .order_by()
        .values_list("pk", "latitude", "longitude", "travel_radius_miles")
    )


def id_condition(column: str, ids: list[int]) -> tuple[str, list]:
    """SQL saying `column` is one of `ids`, with the ids bound as parameters, so thousands
    cost the ORM nothing to prepare (unlike a `pk__in` list). PostgreSQL gets one array
    (`= ANY`, which its planner answers with index probes); SQLite a VALUES list."""
    ids = [int(i) for i in ids]
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [ids]
    return f"{column} IN (VALUES {', '.join(['(%s)'] * len(ids))})", ids


def id_filter(ids: list[int]) -> RawSQL:
    table = connection.ops.quote_name(ListingPage._meta.db_table)
    sql, params = id_condition(f"{table}.page_ptr_id", ids)
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 (all bound)


def chunks(ids) -> Iterable[list[int]]:
    ids = list(ids)
    for start in range(0, len(ids), ID_CHUNK):
        yield ids[start : start + ID_CHUNK]


def rows_of(base, ids) -> list[tuple]:
    """The ranking rows of those `ids` that also meet every filter and may be shown."""
    rows = []
    for chunk in chunks(ids):
        rows += base.filter(id_filter(chunk)).values_list(*ROW_FIELDS)
    return rows


def longest_travel() -> int:
    """The furthest any listing travels (an indexed MAX): no box need be wider."""
    longest = ListingPage.objects.aggregate(longest=Max("travel_radius_miles"))["longest"]
    return min(longest or 0, settings.SEARCH_MAX_TRAVEL_MILES)


REACH_MARGIN = 1.02  # the flat-earth distance is within 1% of the true one at these ranges


def nearly_reaching(place, longest: int) -> list[tuple]:
    """Providers in the box of the longest radius whose own radius nearly reaches `place`:
    dx^2 + dy^2 <= (radius x margin)^2 in miles, plain arithmetic that SQLite and
    PostgreSQL both do from the index, no trigonometry in SQL."""
    if longest <= 0:
        return []
    cos_lat = math.cos(math.radians(place.latitude))
    dy = (F("latitude") - place.latitude) * MILES_PER_DEGREE_LATITUDE
    dx = (F("longitude") - place.longitude) * (MILES_PER_DEGREE_LATITUDE * cos_lat)
    reach = F("travel_radius_miles") * Value(REACH_MARGIN, output_field=FloatField())
    return list(
        ListingPage.objects.filter(box(place, longest), comes_to_family=True)
        .alias(
            apart=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()),
            reach=ExpressionWrapper(reach * reach, output_field=FloatField()),
        )
        .filter(apart__lte=F("reach"))
        .order_by()
        .values_list("pk", "latitude", "longitude", "travel_radius_miles")
    )


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
    for chunk in chunks(ids):
        sql, params, prefix = [], [], ""
        if connection.vendor != "postgresql":  # the ids once, as a table every part reads
            prefix = f"WITH ids(id) AS (VALUES {', '.join(['(%s)'] * len(chunk))}) "
            params = [int(i) for i in chunk]
        for part in parts:
            column = "x.listingpage_id" if "{x.listingpage_id}" in part else "page_ptr_id"
            if prefix:
                condition, values = f"{column} IN (SELECT id FROM ids)", []  # noqa: S608
            else:
                condition, values = id_condition(column, chunk)
            sql.append(part.replace("{" + column + "}", condition))
            params += values
        with connection.cursor() as cursor:
            cursor.execute(prefix + " UNION ALL ".join(sql), params)
            for name, value, count in cursor.fetchall():
                counts[name][value] += count
    return {name: dict(counter) for name, counter in counts.items()}
