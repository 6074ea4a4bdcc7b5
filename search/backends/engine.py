"""The engine backend: Elasticsearch 8/9 or OpenSearch 2/3, queried with elasticsearch-dsl.

The engine does the filtering (every family filter, the text, visibility by date), the
geography (`geo_distance` for "where can I go?", the same bounding box as the embedded
backend plus the served council areas for "who can come to me?") and the facet counts
(`terms` aggregations). Exact great-circle distances, the travel-radius check and the
ordering are then computed here, with the embedded backend's own functions, so both backends
give the same matches, in the same order, with the same reasons. (The per-listing travel
radius cannot be checked in the engine without a script, and scripts differ between engines.)

With a `fallback` backend (settings: `SEARCH_BACKENDS["default"]["FALLBACK"]`, the database
by default), a search the engine cannot answer is answered by the fallback instead, with a
warning in the log: a family never sees an error because the engine is down, and never
waits long because it is slow (`engine_budget`: a second for the engine in all, then
searches go straight to the database for a while).
"""

import datetime
import logging
from decimal import ROUND_FLOOR, Decimal

from django.conf import settings
from django.utils.module_loading import import_string
from elasticsearch.dsl import A, Q, Search

from core.dates import today
from directory import rules
from directory.choices import CostUnit, DBSStatus

from ..engine_client import EngineClient, engine_settings, get_client
from ..indexing import alias_name
from ..query import FACETS, Filters, Match, SearchQuery, SearchResults, bounding_box
from ..query import haversine_miles as distance
from .base import RankingBackend
from .embedded import EmbeddedBackend
from .engine_budget import Budget, answered, rest, resting

logger = logging.getLogger(__name__)

SOURCE = [
    "title",
    "location",
    "at_venue",
    "comes_to_family",
    "travel_radius_miles",
    "assured_date",
    "kind",
    "served_areas",
    "capacity_now",
]
# The engine stores points to about a centimetre; ask it for a little more than the exact
# area and decide the edge here, from the indexed coordinates, as the database does.
PAD_DEGREES = 1e-5
DEFAULT_MAX_CANDIDATES = 10_000  # the engines' default max_result_window
DEFAULT_FACET_SIZE = 500


# --- the query, built once with elasticsearch-dsl ------------------------------------------------


def visibility_filters(cutoffs: rules.Cutoffs) -> list[Q]:
    """`directory.rules.in_directory` as engine filters: not closed, confirmed within the
    expiry period, and no DBS lapse older than the grace period. Dates are compared at query
    time."""
    lapsed_cutoff = cutoffs.dbs_hidden_lapsed_on_or_before
    return [
        Q("range", assured_date={"gt": cutoffs.expired_on_or_before.isoformat()}),
        Q("bool", must_not=[Q("exists", field="closed_on")]),
        Q(
            "bool",
            should=[
                Q("bool", must_not=[Q("exists", field="dbs_lapsed_on")]),
                Q("range", dbs_lapsed_on={"gt": lapsed_cutoff.isoformat()}),
            ],
            minimum_should_match=1,
        ),
    ]


def any_of(field: str, values) -> Q:
    return Q("terms", **{field: list(values)})


def all_of(field: str, values) -> list[Q]:
    return [Q("term", **{field: value}) for value in values]


def either(*clauses: Q) -> Q:
    return Q("bool", should=list(clauses), minimum_should_match=1)


def seconds(value: datetime.time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def wildcard_literal(word: str) -> str:
    return word.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")


def filter_clauses(filters: Filters, text: str, on: datetime.date) -> list[Q]:
    """Public listings that meet every filter (no geography): `listing_sql.ListingSQL`."""
    f = filters
    cutoffs = rules.Cutoffs.on(on)
    clauses = visibility_filters(cutoffs)
    if f.kinds:
        clauses.append(any_of("kind", f.kinds))
    if f.service_types:
        clauses.append(any_of("service_types", f.service_types))
    clauses += all_of("needs", f.needs)
    clauses += all_of("skills", f.skills)
    clauses += all_of("access_features", f.access_features)
    if f.funding:
        clauses.append(any_of("funding", f.funding))
    if f.languages:
        clauses.append(any_of("languages", f.languages))
    if f.days:
        clauses.append(any_of("days", f.days))
    if f.age is not None:
        clauses.append(Q("range", age_min={"lte": f.age}))
        clauses.append(Q("range", age_max={"gte": f.age}))
    if f.at_time is not None:
        at = seconds(f.at_time)
        clauses.append(
            either(
                Q("bool", must_not=[Q("exists", field="time_from")]),
                Q(
                    "bool",
                    filter=[
                        Q("range", time_from={"lte": at}),
                        Q("range", time_to={"gt": at}),
                    ],
                ),
            )
        )
    for flag in ("term_time", "school_holidays", "overnight"):
        if getattr(f, flag):
            clauses.append(Q("term", **{flag: True}))
    if f.free_only:
        clauses.append(Q("term", cost_unit=str(CostUnit.FREE)))
    elif f.max_hourly_cost is not None:
        pence = (Decimal(f.max_hourly_cost) * 100).to_integral_value(rounding=ROUND_FLOOR)
        clauses.append(
            either(
                Q("term", cost_unit=str(CostUnit.FREE)),
                Q(
                    "bool",
                    filter=[
                        Q("term", cost_unit=str(CostUnit.HOUR)),
                        Q("range", cost_pence={"lte": int(pence)}),
                    ],
                ),
            )
        )
    if f.verified_dbs_only:
        clauses.append(any_of("dbs_status", [str(DBSStatus.VERIFIED), str(DBSStatus.DUE_SOON)]))
    if f.kitemarked_only:
        current_from = cutoffs.kitemark_current_from.isoformat()
        clauses.append(Q("range", kitemark_expires_on={"gte": current_from}))
    if f.has_capacity:
        clauses.append(Q("range", capacity_now={"gt": 0}))
    for word in text.split()[:8]:
        pattern = f"*{wildcard_literal(word.lower())}*"
        clauses.append(Q("wildcard", search_text={"value": pattern, "case_insensitive": True}))
    return clauses


def point(lat: float, lon: float) -> dict:
    return {"lat": lat, "lon": lon}


def box_query(lat: float, lon: float, radius_miles: float) -> tuple[Q, tuple]:
    box = bounding_box(lat, lon, radius_miles)
    min_lat, max_lat, min_lon, max_lon = box
    query = Q(
        "geo_bounding_box",
        location={
            "top_left": point(min(90.0, max_lat + PAD_DEGREES), min_lon - PAD_DEGREES),
            "bottom_right": point(max(-90.0, min_lat - PAD_DEGREES), max_lon + PAD_DEGREES),
        },
    )
    return query, box


def in_box(row, box) -> bool:
    min_lat, max_lat, min_lon, max_lon = box
    return (
        row[2] is not None
        and row[3] is not None
        and min_lat <= row[2] <= max_lat
        and min_lon <= row[3] <= max_lon
    )


# --- the backend -------------------------------------------------------------------------------


class EngineBackend(RankingBackend):
    name = "engine"
    keeps_index = True

    def __init__(
        self,
        client: EngineClient | None = None,
        index: str | None = None,
        fallback: "RankingBackend | str | None" = None,
    ):
        """`fallback`: a backend (or the import path of one) that answers whenever the engine
        cannot; without one, the engine's error is raised (as the contract suite wants)."""
        self._client = client
        self.index = index or alias_name()
        if isinstance(fallback, str):
            fallback = import_string(fallback)()
        self.fallback = fallback
        self.budget: Budget | None = None

    @property
    def client(self) -> EngineClient:
        # Made on first use, inside the search, so a missing URL is a failure to answer
        # (and falls back) rather than an error building the backend.
        if self._client is None:
            self._client = get_client()
        return self._client

    def search(self, query: SearchQuery) -> SearchResults:
        if self.fallback is None:
            return super().search(query)
        try:
            config = engine_settings()
        except Exception as error:
            return self.answer_from_fallback(query, error)
        url = config["URL"]
        if resting(url):
            return self.fallback.search(query)
        self.budget = Budget(config["BUDGET"], config["TIMEOUT"])
        try:
            results = super().search(query)
        except Exception as error:
            rest(url, config["RETRY_AFTER"])
            return self.answer_from_fallback(query, error, config["RETRY_AFTER"])
        finally:
            self.budget = None
        if answered(url):
            logger.warning("Search engine answering again; searches use it once more")
        return results

    def answer_from_fallback(self, query, error, retry_after=None) -> SearchResults:
        again = f" for {retry_after:g} s" if retry_after else ""
        logger.warning(
            "Search engine unavailable (%s); answering from the database instead%s",
            type(error).__name__,
            again,
        )
        return self.fallback.search(query)

    def engine_search(self, search: Search) -> dict:
        """One call to the engine, within what is left of the search's budget."""
        timeout = self.budget.timeout() if self.budget else None
        return self.client.search(self.index, search.to_dict(), timeout=timeout)

    def candidates(self, query: SearchQuery) -> list[Q]:
        return filter_clauses(query.filters, query.text, today())

    def listing_rows(self, base):
        return [row for row, _ in self.rows(base)]

    # --- the two questions -----------------------------------------------------------------

    def where_can_i_go(self, query, base, radius) -> dict[int, tuple]:
        place = query.place
        _, box = box_query(place.latitude, place.longitude, radius)
        reach = Q(
            "geo_distance",
            distance=f"{radius * 1.01 + 0.01:.4f}mi",
            location=point(place.latitude, place.longitude),
        )
        found = {}
        for row, _ in self.rows(base + [Q("term", at_venue=True), reach]):
            if not in_box(row, box):
                continue
            miles = distance(place.latitude, place.longitude, row[2], row[3])
            if miles <= radius:
                found[row[0]] = (row, miles)
        return found

    def come_to_me(self, query, base) -> dict[int, tuple]:
        place = query.place
        code = place.local_authority_code
        box_filter, box = box_query(
            place.latitude, place.longitude, settings.SEARCH_MAX_TRAVEL_MILES
        )
        near = Q("bool", filter=[box_filter, Q("exists", field="travel_radius_miles")])
        serves = Q("term", served_areas=code)
        clauses = base + [Q("term", comes_to_family=True), either(near, serves) if code else near]
        found = {}
        for row, served_areas in self.rows(clauses):
            serving = bool(code) and code in served_areas
            if not (serving or (row[6] is not None and in_box(row, box))):
                continue
            miles = None
            if row[2] is not None and row[3] is not None:
                miles = distance(place.latitude, place.longitude, row[2], row[3])
            within = row[6] is not None and miles is not None and miles <= row[6]
            if within or serving:
                found[row[0]] = (row, miles, within, serving)
        return found

    # --- talking to the engine ---------------------------------------------------------------

    def rows(self, clauses: list[Q]):
        """(row, served area codes) for every listing matching, the row laid out as the
        embedded backend's `listing_sql.ROW_COLUMNS`."""
        limit = getattr(settings, "SEARCH_ENGINE_MAX_CANDIDATES", DEFAULT_MAX_CANDIDATES)
        search = (
            Search()
            .query(Q("bool", filter=clauses))
            .source(SOURCE)
            .sort("_doc")
            .extra(size=limit, track_total_hits=True)
        )
        response = self.engine_search(search)
        hits = response["hits"]
        total = hits["total"]["value"] if isinstance(hits["total"], dict) else hits["total"]
        if total > len(hits["hits"]):
            logger.warning("Search engine: %s candidates, only %s read", total, len(hits["hits"]))
        for hit in hits["hits"]:
            source = hit["_source"]
            location = source.get("location") or {}
            assured = source.get("assured_date")
            row = (
                int(hit["_id"]),
                source.get("title", ""),
                location.get("lat"),
                location.get("lon"),
                source.get("at_venue"),
                source.get("comes_to_family"),
                source.get("travel_radius_miles"),
                datetime.date.fromisoformat(assured) if assured else None,
                source.get("kind"),
                source.get("capacity_now"),
            )
            yield row, source.get("served_areas") or []

    def facet_counts(self, matches: list[Match]) -> dict[str, dict[str, int]]:
        names = ["kinds", *FACETS]
        ids = [match.listing_id for match in matches]
        if not ids:
            return {name: {} for name in names}
        size = getattr(settings, "SEARCH_FACET_SIZE", DEFAULT_FACET_SIZE)
        search = Search().filter(Q("ids", values=[str(pk) for pk in ids])).extra(size=0)
        search.aggs.bucket("kinds", A("terms", field="kind", size=size))
        for name in FACETS:
            search.aggs.bucket(name, A("terms", field=name, size=size))
        response = self.engine_search(search)
        aggregations = response.get("aggregations", {})
        return {
            name: {
                str(bucket["key"]): bucket["doc_count"]
                for bucket in aggregations.get(name, {}).get("buckets", [])
            }
            for name in names
        }


def search_with_fallback(query: SearchQuery) -> SearchResults:
    """Ask the engine; if it cannot answer (down, unreachable, misconfigured, index missing),
    answer from the database and log a warning. The family never sees the difference."""
    return EngineBackend(fallback=EmbeddedBackend()).search(query)
