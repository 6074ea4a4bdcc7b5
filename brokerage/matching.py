"""Matching a family's request to listings, with the reasons for every candidate and the one
reason each near miss fails.

The way search's embedded backend answers "where can I go / who can come to me", done for a
request, in two queries:

- the geography, through search's public interface (`search.api.listings_reaching`, one
  query from the position index alone):
  venues within the family's travel distance, providers whose own travel radius reaches them,
  and providers who serve the family's council, widened a little so that listings just too
  far count as near misses;
- on those listings only: the kind of support and the age as filters, and every other hard
  constraint counted in the database (`EXISTS` on the link tables for each need, skill and
  day and the way of paying; capacity, freshness, DBS, times, term time on the row), so that
  only listings failing at most one come back, with yes/no columns.

Python then measures exact great-circle distances, checks the council's funding rules, scores,
and sorts the listings into:

- candidates: meet every hard constraint; ranked by soft scores (distance, kitemark,
  preferences, freshness, cost within budget), each with its reasons;
- near misses: fail exactly one hard constraint, shown with why not ("No Saturday
  availability").

A broker's declared affiliations are flagged and excluded, never offered; the broker can add a
listing by hand or remove a candidate (`Candidate` rows).

Checking and scoring one listing, with its reasons, concerns and failures, is
`brokerage/match_reasons.py`.
"""

import operator
import time
from dataclasses import dataclass
from functools import reduce

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)

from core.dates import today
from directory import rules
from directory.choices import ListingKind
from directory.models import ListingPage
from search.api import Place, listing_id_filter, listings_reaching

from .choices import SupportKind
from .match_reasons import (
    CARE_TOPICS,
    CURRENT_DBS,
    DIRECT_PAYMENT,
    Context,
    Scored,
    care_topics,
    funding_slug,
    travel_miles,
)
from .models import Candidate, SupportRequest

ROW_FIELDS = (
    "pk",
    "title",
    "kind",
    "latitude",
    "longitude",
    "at_venue",
    "comes_to_family",
    "travel_radius_miles",
    "time_from",
    "time_to",
    "term_time",
    "school_holidays",
    "overnight",
    "age_min",
    "age_max",
    "cost_amount",
    "cost_unit",
    "capacity_now",
    "capacity_unit",
    "organisation_id",
    "status__dbs_status",
    "status__assured_date",
    "status__kitemark_expires_on",
)
# Read afterwards for the few listings that come back, not joined for every listing nearby.
DETAIL_FIELDS = ("organisation__name", "organisation__kind", "personalassistantpage__gender")
THROUGH = {
    "need": (ListingPage.needs.through, "need_id"),
    "skill": (ListingPage.skills.through, "skill_id"),
    "day": (ListingPage.days.through, "weekday_id"),
    "funding": (ListingPage.funding_accepted.through, "fundingroute_id"),
    "language": (ListingPage.languages.through, "language_id"),
}


@dataclass
class MatchResult:
    candidates: list[Scored]
    near_misses: list[Scored]
    excluded: list[Scored]  # affiliated with the broker, or removed by the broker
    considered: int
    seconds: float


def has(relation: str, value) -> Exists:
    through, column = THROUGH[relation]
    return Exists(through.objects.filter(listingpage_id=OuterRef("pk"), **{column: value}))


def kind_q(kinds) -> Q:
    q = Q(pk__in=[])
    for kind in kinds:
        if kind == SupportKind.AT_HOME:
            q |= Q(comes_to_family=True)
        elif kind == SupportKind.AT_VENUE:
            q |= Q(at_venue=True, kind=ListingKind.SHORT_BREAK)
        elif kind == SupportKind.OVERNIGHT:
            q |= Q(overnight=True)
        elif kind == SupportKind.CLUB:
            q |= Q(kind=ListingKind.INCLUSIVE_CLUB)
        elif kind == SupportKind.PA:
            q |= Q(kind=ListingKind.PERSONAL_ASSISTANT)
    return q


def nearby_ids(request: SupportRequest) -> set[int]:
    """The listings that might answer the family's "where", read from the position index
    alone by search's `listings_reaching` (one query): venues within the family's travel distance,
    providers whose own travel radius reaches them, and providers who cover their council;
    each widened by the near-miss margin, so that listings just too far count as near misses.
    Everything else is then checked only on these listings, their ids bound as one
    parameter: PostgreSQL otherwise answers the join by reading the whole status table."""
    extra = settings.BROKERAGE_NEAR_MISS_EXTRA_MILES
    venues, travellers, serving = listings_reaching(
        Place(latitude=request.latitude, longitude=request.longitude),
        venue_radius=travel_miles(request) + extra,
        travellers=True,
        council=request.local_authority_code,
        extra=extra,
    )
    return venues | travellers | serving


def annotated(
    request: SupportRequest, queryset, needs, skills, days, care=None, *, every: bool = False
):
    """The listings' rows with a yes/no column for each link check; only those failing at
    most one hard constraint, unless `every` (the listings a broker added by hand, which are
    shown however many they fail)."""
    annotations = {}
    for pk in needs:
        annotations[f"need_{pk}"] = has("need", pk)
    for pk in skills:
        annotations[f"skill_{pk}"] = has("skill", pk)
    for pk in days:
        annotations[f"day_{pk}"] = has("day", pk)
    if request.funding_id:
        annotations["funding_ok"] = has("funding", request.funding_id)
    if request.language_id:
        annotations["language_ok"] = has("language", request.language_id)
    for key in care or {}:
        slugs = CARE_TOPICS[key][1]
        annotations[f"care_{key}"] = Exists(
            ListingPage.skills.through.objects.filter(
                listingpage_id=OuterRef("pk"), skill__slug__in=slugs
            )
        )
    excluded = settings.BROKERAGE_DIRECT_PAYMENT_EXCLUDES
    if funding_slug(request) == DIRECT_PAYMENT and excluded:
        types = ListingPage.service_types.through.objects.filter(listingpage_id=OuterRef("pk"))
        annotations["dp_excluded_type"] = Exists(types.filter(servicetype__slug__in=excluded))
        annotations["dp_other_type"] = Exists(types.exclude(servicetype__slug__in=excluded))
    if request.local_authority_code:
        annotations["serves_area"] = Exists(
            ListingPage.served_local_authorities.through.objects.filter(
                listingpage_id=OuterRef("pk"), localauthority__code=request.local_authority_code
            )
        )
    fields = list(ROW_FIELDS)
    if request.culture_faith:
        fields.append("cultural_notes")
    rows = queryset.annotate(row_failures=row_failures(request), **annotations)
    rows = rows.values(*fields, "row_failures", *annotations)
    link_checks = [[f"need_{pk}" for pk in needs], [f"skill_{pk}" for pk in skills]]
    link_checks += [[f"day_{pk}" for pk in days], ["funding_ok"] if request.funding_id else []]
    return failing_at_most_one(rows, [names for names in link_checks if names], every=every)


def failing_at_most_one(rows, link_checks: list[list[str]], *, every: bool = False) -> list[dict]:
    """The rows that fail at most one hard constraint: `row_failures` counts those on the row
    itself, and each list of link columns counts as one more unless all are true (every need
    supported is one constraint). The yes/no link columns are computed once, in an inner
    query the database may not unpick (OFFSET 0), and counted outside it: counting them in
    the same query made PostgreSQL compute every link check twice over the whole link table.
    """
    compiler = rows.query.get_compiler(connection=connection)
    try:
        inner, params = compiler.as_sql()
    except EmptyResultSet:  # the filters rule out every listing
        return []
    names = [*rows.query.extra_select, *rows.query.values_select, *rows.query.annotation_select]
    quote = connection.ops.quote_name
    failures = [f"m.{quote('row_failures')}"]
    for columns in link_checks:
        all_true = " AND ".join(f"m.{quote(name)}" for name in columns)
        failures.append(f"CASE WHEN {all_true} THEN 0 ELSE 1 END")
    keep_apart = " OFFSET 0" if connection.vendor == "postgresql" else " LIMIT -1 OFFSET 0"
    sql = (
        f"SELECT * FROM ({inner}{keep_apart}) m "  # noqa: S608 (names from the query)
        f"WHERE {' + '.join(failures)} <= 1"
    )
    if every:
        sql = f"SELECT * FROM ({inner}{keep_apart}) m"  # noqa: S608 (names from the query)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    rows = [dict(zip(names, row, strict=True)) for row in compiler.results_iter([found])]
    if not rows:
        return rows
    details = ListingPage.objects.filter(listing_id_filter([row["pk"] for row in rows]))
    details = {pk: rest for pk, *rest in details.values_list("pk", *DETAIL_FIELDS)}
    for row in rows:
        row.update(zip(DETAIL_FIELDS, details.get(row["pk"], (None,) * 3), strict=True))
    return rows


def failed(condition: Q):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def row_failures(request: SupportRequest):
    """How many of the hard constraints on the listing's own row it fails (capacity,
    freshness, DBS, times, term time, holidays); the links (needs, skills, days, the way of
    paying) are counted by `failing_at_most_one`. Never more than `Context.evaluate` counts
    (geography and the checks that depend on it are left to Python), so nothing is lost."""
    checks = [Q(capacity_now=0)]
    stale_on_or_before = rules.Cutoffs.on(today()).stale_on_or_before  # `rules.is_stale`
    checks.append(
        Q(status__assured_date__isnull=True) | Q(status__assured_date__lte=stale_on_or_before)
    )
    checks.append(Q(kind=ListingKind.PERSONAL_ASSISTANT) & ~Q(status__dbs_status__in=CURRENT_DBS))
    if request.time_from and request.time_to:
        checks.append(
            Q(time_from__isnull=False, time_to__isnull=False)
            & (Q(time_from__gt=request.time_from) | Q(time_to__lt=request.time_to))
        )
    if request.term_time:
        checks.append(Q(term_time=False))
    if request.school_holidays:
        checks.append(Q(school_holidays=False))
    return reduce(operator.add, (failed(check) for check in checks))


def match(
    request: SupportRequest, *, broker=None, limit: int = 50, near_limit: int = 25
) -> MatchResult:
    started = time.perf_counter()
    needs = dict(request.needs.values_list("pk", "name"))
    skills = dict(request.skills.values_list("pk", "name"))
    days = dict(request.days.values_list("pk", "name"))
    care = care_topics(request, request.skills.values_list("slug", flat=True))
    base = ListingPage.objects.in_directory().order_by()  # ranked in Python
    if request.age is not None:
        base = base.filter(age_min__lte=request.age, age_max__gte=request.age)
    if request.support_kinds:
        base = base.filter(kind_q(request.support_kinds))
    rows = []
    if request.latitude is not None:
        near = nearby_ids(request)
        # One list of ids, not an OR of two conditions: an OR would make PostgreSQL read
        # every listing.
        where = base.filter(listing_id_filter(sorted(near))) if near else base.none()
        rows = list(annotated(request, where, needs, skills, days, care))
    by_broker = {
        c.listing_id: c
        for c in Candidate.objects.filter(request=request).only("listing_id", "removed", "by_hand")
    }
    found = {row["pk"] for row in rows}
    extra_ids = [pk for pk, c in by_broker.items() if c.by_hand and pk not in found]
    if extra_ids:
        everything = ListingPage.objects.in_directory().filter(pk__in=extra_ids)
        # However many requirements they fail: the broker chose them, and sees why not.
        rows += list(annotated(request, everything, needs, skills, days, care, every=True))
    affiliated = set()
    if broker is not None:
        affiliated = set(broker.broker_affiliations.values_list("organisation_id", flat=True))

    context = Context(request, needs, skills, days, care)
    candidates, near, excluded = [], [], []
    for row in rows:
        scored = context.evaluate(row)
        chosen = by_broker.get(scored.listing_id)
        if scored.organisation_id in affiliated:
            scored.affiliated = True
            excluded.append(scored)
        elif chosen is not None and chosen.removed:
            scored.removed = True
            excluded.append(scored)
        elif chosen is not None and chosen.by_hand:
            scored.by_hand = True
            candidates.append(scored)
        elif not scored.failures:
            candidates.append(scored)
        elif len(scored.failures) == 1:
            near.append(scored)
    candidates.sort(key=lambda s: (-s.by_hand, -s.score, s.distance_miles or 0, s.title))
    near.sort(key=lambda s: (-s.score, s.title))
    return MatchResult(
        candidates=candidates[:limit],
        near_misses=near[:near_limit],
        excluded=excluded,
        considered=len(rows),
        seconds=time.perf_counter() - started,
    )
