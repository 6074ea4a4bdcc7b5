"""Demand: searches that found too little (`search.UnmetDemand`), and families' requests to the
brokerage service (`brokerage.SupportRequest`, its offers and the anonymous outcomes). Each
table is one or two aggregate queries; a comma-separated field (the needs a search asked for,
its days, an outcome's reasons) is counted with one conditional count per known value."""

import datetime
import statistics

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone

from brokerage.choices import (
    OPEN_STATUSES,
    DeclineReason,
    OfferStatus,
    Outcome,
    ReviewFeeling,
    Status,
    UnmatchedReason,
)
from brokerage.models import Offer, RequestEvent, RequestOutcome, Review, SupportRequest
from directory.models import ListingPage, Need
from gazetteer.models import LocalAuthority
from search.demand import AGE_BANDS, DAY_CODES
from search.models import UnmetDemand

from .filters import Filters
from .tables import COUNT, LABEL, NUMBER, Column, Table, plural

DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def token_q(field: str, token: str) -> Q:
    """`token` is one of the comma-separated values of `field`."""
    return (
        Q(**{field: token})
        | Q(**{f"{field}__startswith": f"{token},"})
        | Q(**{f"{field}__endswith": f",{token}"})
        | Q(**{f"{field}__contains": f",{token},"})
    )


def served_councils() -> set[str]:
    """The councils the site serves: every council where a published listing is based."""
    codes = ListingPage.objects.live().order_by().values_list("local_authority_code", flat=True)
    return set(codes.distinct()) - {""}


def council_names(codes) -> dict[str, str]:
    return dict(LocalAuthority.objects.filter(code__in=codes).values_list("code", "name"))


# --- Unmet demand ----------------------------------------------------------------------------


def unmet(filters: Filters, *, period: bool = True):
    qs = UnmetDemand.objects.order_by()
    if period:
        qs = qs.filter(searched_on__gte=filters.start, searched_on__lte=filters.end)
    if filters.council:
        qs = qs.filter(local_authority_code=filters.council)
    if filters.kind:
        qs = qs.filter(token_q("kinds", filters.kind))
    if filters.need:
        qs = qs.filter(token_q("needs", filters.need))
    if filters.age_band:
        qs = qs.filter(age_band=filters.age_band[2])
    if filters.rural is not None:
        qs = qs.filter(rural=filters.rural)
    return qs


def count_columns(first: str) -> list[Column]:
    return [
        Column(first, LABEL),
        Column("Unmet searches", COUNT),
        Column("From searches", COUNT),
        Column("From brokerage requests", COUNT),
    ]


def source_aggregates(where: Q | None = None, prefix: str = "") -> dict:
    def only(q):
        return q if where is None else (where if q is None else where & q)

    return {
        f"{prefix}n": Count("pk", filter=only(None)),
        f"{prefix}search": Count("pk", filter=only(Q(source="search"))),
        f"{prefix}brokerage": Count("pk", filter=only(Q(source="brokerage"))),
    }


def source_row(label, values, prefix="") -> list:
    return [label, *(values.get(f"{prefix}{k}") or 0 for k in ("n", "search", "brokerage"))]


def unmet_by_council(qs) -> list[Table]:
    rows = {
        row["local_authority_code"]: row
        for row in qs.values("local_authority_code").annotate(**source_aggregates())
    }
    served = served_councils()
    names = council_names(rows)
    inside = sorted((c for c in rows if c in served), key=lambda c: names.get(c, c))
    outside = sorted((c for c in rows if c not in served), key=lambda c: names.get(c, c))

    def name(code):
        return names.get(code) or code or "Council not known"

    in_total = sum(rows[c]["n"] for c in inside)
    out_total = sum(rows[c]["n"] for c in outside)
    return [
        Table(
            id="demand-council",
            caption="Unmet searches in the councils the site serves",
            summary=(
                f"{plural(in_total, 'search', 'searches')} in the councils served found too "
                f"little"
                + (f", most in {name(max(inside, key=lambda c: rows[c]['n']))}." if inside else ".")
            ),
            columns=count_columns("Council"),
            rows=[source_row(name(c), rows[c]) for c in inside],
            note="Councils served: every council where a published listing is based.",
        ),
        Table(
            id="demand-out-of-area",
            caption="Unmet searches from outside the councils the site serves",
            summary=(
                f"{plural(out_total, 'search', 'searches')} came from "
                f"{plural(len(outside), 'council')} the site does not serve."
            ),
            columns=count_columns("Council"),
            rows=[source_row(name(c), rows[c]) for c in outside],
        ),
    ]


def unmet_by_tokens(qs, *, field, tokens, id, caption, heading, none_label, noun) -> Table:
    aggregates = {}
    for i, (token, _label) in enumerate(tokens):
        aggregates.update(source_aggregates(token_q(field, token), prefix=f"t{i}_"))
    aggregates.update(source_aggregates(Q(**{field: ""}), prefix="none_"))
    values = qs.aggregate(**aggregates)
    rows = [source_row(label, values, f"t{i}_") for i, (_token, label) in enumerate(tokens)]
    rows.append(source_row(none_label, values, "none_"))
    asked = [row for row in rows[:-1] if row[1]]
    top = max(asked, key=lambda row: row[1]) if asked else None
    return Table(
        id=id,
        caption=caption,
        summary=(
            f"{top[0]} was asked for most often "
            f"({plural(top[1], 'unmet search', 'unmet searches')})."
            if top
            else f"No unmet search asked for a particular {noun}."
        ),
        columns=count_columns(heading),
        rows=rows,
        note="A search that asked for several counts once under each.",
    )


def unmet_by_age(qs) -> Table:
    found = {row["age_band"]: row for row in qs.values("age_band").annotate(**source_aggregates())}
    labels = [label for _low, _high, label in AGE_BANDS]
    rows = [source_row(f"Ages {label}", found.get(label, {})) for label in labels]
    rows.append(source_row("No age given", found.get("", {})))
    asked = [row for row in rows[:-1] if row[1]]
    top = max(asked, key=lambda row: row[1]) if asked else None
    return Table(
        id="demand-age",
        caption="Unmet searches by age band",
        summary=(
            f"{top[0]} had the most unmet searches ({top[1]:,})."
            if top
            else "No unmet search gave an age."
        ),
        columns=count_columns("Ages"),
        rows=rows,
    )


def unmet_tables(filters: Filters) -> list[Table]:
    qs = unmet(filters)
    total = qs.count()
    tables = unmet_by_council(qs)
    tables[0].summary = f"{plural(total, 'search', 'searches')} found too little in all. " + (
        tables[0].summary
    )
    needs = list(Need.objects.values_list("slug", "name"))
    tables.append(
        unmet_by_tokens(
            qs,
            field="needs",
            tokens=needs,
            id="demand-need",
            caption="Unmet searches by need",
            heading="Need",
            none_label="No need given",
            noun="need",
        )
    )
    tables.append(unmet_by_age(qs))
    tables.append(
        unmet_by_tokens(
            qs,
            field="days",
            tokens=[(code, DAY_NAMES[code]) for code in DAY_CODES.values()],
            id="demand-days",
            caption="Unmet searches by day asked for",
            heading="Day",
            none_label="No day given",
            noun="day",
        )
    )
    return tables


# --- Brokerage -------------------------------------------------------------------------------


def local_days(field: str, start: datetime.date, end: datetime.date) -> Q:
    """`field`, a date and time, falls on a local day from `start` to `end`: as `__date__gte`
    and `__date__lte`, but a range of the column itself, so that its index can be used and
    no function runs on every row."""
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


def requests(filters: Filters):
    """Requests sent to the brokerage service in the period (a draft never sent is not one)."""
    qs = SupportRequest.objects.filter(
        local_days("submitted_at", filters.start, filters.end)
    ).order_by()
    if filters.council:
        qs = qs.filter(local_authority_code=filters.council)
    if filters.need:
        with_need = SupportRequest.needs.through.objects.filter(need__slug=filters.need)
        qs = qs.filter(pk__in=with_need.values("supportrequest_id"))
    if filters.age_band:
        low, high, _label = filters.age_band
        qs = qs.filter(age__gte=low, age__lte=high)
    if filters.rural is not None:
        qs = qs.filter(rural=filters.rural)
    return qs


def median_days(pairs) -> float | None:
    days = [(end - start).total_seconds() / 86400 for start, end in pairs if start and end]
    return round(statistics.median(days), 1) if days else None


def brokerage_tables(filters: Filters) -> list[Table]:
    qs = requests(filters)
    counts = qs.aggregate(
        submitted=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        matched=Count("pk", filter=Q(status=Status.MATCHED)),
        unmatched=Count("pk", filter=Q(status=Status.UNMATCHED)),
        withdrawn=Count("pk", filter=Q(status=Status.WITHDRAWN)),
    )
    first_offer = (
        Offer.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(first=Min("sent_at"))
        .values("first")
    )
    agreed = (
        RequestEvent.objects.filter(
            request=OuterRef("pk"), offer__isnull=True, to_status=Status.MATCHED
        )
        .order_by()
        .values("request")
        .annotate(first=Min("at"))
        .values("first")
    )
    timings = list(
        qs.annotate(first_offer=Subquery(first_offer), agreed=Subquery(agreed)).values_list(
            "submitted_at", "first_offer", "agreed"
        )
    )
    to_offer = [(s, o) for s, o, _a in timings if o]
    to_agreement = [(s, a) for s, _o, a in timings if a]
    n = counts["submitted"]
    closed_unmatched = counts["unmatched"] + counts["withdrawn"]
    summary_table = Table(
        id="brokerage",
        caption="Requests to the brokerage service",
        summary=(
            f"{plural(n, 'request')} {'was' if n == 1 else 'were'} sent in the period: "
            f"{counts['matched']:,} reached an agreed package, {closed_unmatched:,} closed "
            f"without one and {counts['open']:,} {'is' if counts['open'] == 1 else 'are'} open."
        ),
        columns=[Column("Figure", LABEL), Column("Requests", COUNT), Column("Median days", NUMBER)],
        rows=[
            ["Sent to a broker", n, None],
            ["Still open", counts["open"], None],
            ["Matched (support agreed)", counts["matched"], None],
            ["No suitable provider found", counts["unmatched"], None],
            ["Withdrawn", counts["withdrawn"], None],
            ["Had a first offer sent to a provider", len(to_offer), median_days(to_offer)],
            ["Reached an agreement", len(to_agreement), median_days(to_agreement)],
        ],
        note="Median days: from the request being sent to the first offer sent to a provider, "
        "and to the agreement being confirmed by the family and the provider.",
        chart=False,
    )

    declined = Offer.objects.filter(request__in=qs.values("pk"), status=OfferStatus.DECLINED)
    reasons = {
        row["decline_reason"]: row["n"]
        for row in declined.order_by().values("decline_reason").annotate(n=Count("pk"))
    }
    decline_rows = [[label, reasons.get(value, 0)] for value, label in DeclineReason.choices]
    if reasons.get(""):
        decline_rows.append(["No reason given", reasons[""]])
    total_declined = sum(reasons.values())
    top = max(decline_rows, key=lambda row: row[1]) if total_declined else None
    decline_table = Table(
        id="brokerage-declines",
        caption="Offers providers declined, by reason",
        summary=(
            f"Providers declined {plural(total_declined, 'offer')}; the commonest reason: "
            f"{top[0].lower()} ({top[1]:,})."
            if top
            else "No provider declined an offer for these requests."
        ),
        columns=[Column("Reason", LABEL), Column("Offers declined", COUNT)],
        rows=decline_rows,
    )
    return [summary_table, decline_table, *outcome_tables(filters)]


def outcomes(filters: Filters):
    """The anonymous outcome of every request closed in the period (kept when a family's
    request is deleted, so these reach further back than the requests themselves)."""
    qs = RequestOutcome.objects.filter(
        closed_on__gte=filters.start, closed_on__lte=filters.end
    ).order_by()
    if filters.council:
        qs = qs.filter(local_authority_code=filters.council)
    if filters.age_band:
        qs = qs.filter(age_band=filters.age_band[2])
    return qs


def outcome_tables(filters: Filters) -> list[Table]:
    qs = outcomes(filters)
    reason_counts = {
        f"r_{value}": Count("pk", filter=token_q("reasons", value))
        for value in UnmatchedReason.values
    }
    values = qs.aggregate(
        **{f"o_{value}": Count("pk", filter=Q(outcome=value)) for value in Outcome.values},
        **reason_counts,
    )
    closed = sum(values[f"o_{value}"] for value in Outcome.values)
    days: dict[str, list[int]] = {}
    for outcome, n in qs.filter(days_to_close__isnull=False).values_list(
        "outcome", "days_to_close"
    ):
        days.setdefault(outcome, []).append(n)
    median_close = {outcome: statistics.median(d) for outcome, d in days.items()}
    rows = [
        [label, values[f"o_{value}"], median_close.get(value)] for value, label in Outcome.choices
    ]
    matched = values[f"o_{Outcome.MATCHED}"]
    reason_rows = [[label, values[f"r_{value}"]] for value, label in UnmatchedReason.choices]
    reviews = Review.objects.filter(held_on__gte=filters.start, held_on__lte=filters.end).order_by()
    if filters.council:
        reviews = reviews.filter(agreement__request__local_authority_code=filters.council)
    feelings = dict(reviews.values("feeling").annotate(n=Count("pk")).values_list("feeling", "n"))
    review_rows = [[label, feelings.get(value, 0)] for value, label in ReviewFeeling.choices]
    reviewed = sum(feelings.values())
    well = feelings.get(ReviewFeeling.WELL, 0)
    return [
        Table(
            id="brokerage-outcomes",
            caption="Requests closed in the period, by outcome",
            summary=f"{plural(closed, 'request')} closed in the period; {matched:,} matched.",
            columns=[
                Column("Outcome", LABEL),
                Column("Requests", COUNT),
                Column("Median days to close", NUMBER),
            ],
            rows=rows,
        ),
        Table(
            id="brokerage-unmatched-reasons",
            caption="Why requests closed without a match",
            summary=(
                f"{plural(values[f'o_{Outcome.UNMATCHED}'], 'request')} closed with no suitable "
                f"provider; a request may give several reasons."
            ),
            columns=[Column("Reason", LABEL), Column("Requests", COUNT)],
            rows=reason_rows,
        ),
        Table(
            id="brokerage-reviews",
            caption="Reviews of agreed support held in the period",
            summary=f"{plural(reviewed, 'review')} held; {well:,} said it is going well.",
            columns=[Column("How it is going", LABEL), Column("Reviews", COUNT)],
            rows=review_rows,
        ),
    ]
