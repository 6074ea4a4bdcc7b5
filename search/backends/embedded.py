"""The embedded backend: the database does the filtering, with an indexed latitude/longitude
bounding box; exact great-circle distances and the ordering are computed here. The same on
SQLite and PostgreSQL."""

import datetime
from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q

from directory.choices import CostUnit, DBSStatus
from directory.models import ListingPage, today

from ..query import Filters, Match, Mode, SearchQuery, SearchResults, Sort, bounding_box
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
    """Public listings that meet every filter (no geography)."""
    qs = ListingPage.objects.in_directory()
    f = filters
    if f.kinds:
        qs = qs.filter(kind__in=f.kinds)
    if f.service_types:
        qs = qs.filter(pk__in=ids_with("service_types__slug__in", f.service_types))
    for slug in f.needs:
        qs = qs.filter(pk__in=ids_with("needs__slug", slug))
    for slug in f.skills:
        qs = qs.filter(pk__in=ids_with("skills__slug", slug))
    for slug in f.access_features:
        qs = qs.filter(pk__in=ids_with("access_features__slug", slug))
    if f.funding:
        qs = qs.filter(pk__in=ids_with("funding_accepted__slug__in", f.funding))
    if f.languages:
        qs = qs.filter(pk__in=ids_with("languages__slug__in", f.languages))
    if f.days:
        qs = qs.filter(pk__in=ids_with("days__id__in", f.days))
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


def ids_with(lookup: str, value):
    return ListingPage.objects.filter(**{lookup: value}).values("pk")


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

    def candidates(self, query: SearchQuery):
        return filtered(query.filters, query.text)

    def listing_rows(self, base):
        return base.values_list(*ROW_FIELDS)

    def facet_counts(self, ids: list[int]) -> dict[str, dict[str, int]]:
        return facet_counts(ids)

    # --- the two questions -----------------------------------------------------------------

    def where_can_i_go(self, query, base, radius) -> dict[int, tuple]:
        place = query.place
        min_lat, max_lat, min_lon, max_lon = bounding_box(place.latitude, place.longitude, radius)
        rows = base.filter(
            at_venue=True,
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        ).values_list(*ROW_FIELDS)
        found = {}
        for row in rows:
            miles = distance(place.latitude, place.longitude, row[2], row[3])
            if miles <= radius:
                found[row[0]] = (row, miles)
        return found

    def come_to_me(self, query, base) -> dict[int, tuple]:
        place = query.place
        reach = settings.SEARCH_MAX_TRAVEL_MILES
        min_lat, max_lat, min_lon, max_lon = bounding_box(place.latitude, place.longitude, reach)
        near = Q(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
            travel_radius_miles__isnull=False,
        )
        serves = Q(served_local_authorities__code=place.local_authority_code)
        rows = (
            base.filter(comes_to_family=True)
            .filter(near | serves if place.local_authority_code else near)
            .values_list(*ROW_FIELDS)
            .distinct()
        )
        serving = set()
        if place.local_authority_code:
            serving = set(base.filter(serves, comes_to_family=True).values_list("pk", flat=True))
        found = {}
        for row in rows:
            miles = distance(place.latitude, place.longitude, row[2], row[3])
            within = row[6] is not None and miles <= row[6]
            if within or row[0] in serving:
                found[row[0]] = (row, miles, within, row[0] in serving)
        return found


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
    ids = list(ids)
    counts: dict[str, dict[str, int]] = {}
    kinds = (
        Counter(ListingPage.objects.filter(pk__in=ids).values_list("kind", flat=True))
        if ids
        else Counter()
    )
    counts["kinds"] = dict(kinds)
    for name, path in FACETS.items():
        rows = ListingPage.objects.filter(pk__in=ids).values_list(path, flat=True) if ids else []
        counts[name] = dict(Counter(slug for slug in rows if slug))
    return counts
