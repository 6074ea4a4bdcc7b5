"""Demand: searches that found too little (`search.UnmetDemand`), and families' requests to the
brokerage service (`brokerage.SupportRequest`, its offers and the anonymous outcomes). Each
table is one or two aggregate queries; a comma-separated field (the needs a search asked for,
its days, an outcome's reasons) is counted with one conditional count per known value."""

import datetime
from collections import Counter

from django.db.models import CharField, Count, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Concat
from django.db.models.lookups import Contains
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
from .models import ALL, BrokerageCount, Refresh, UnmetCount
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
    """`token` is one of the comma-separated values of `field`: the field with a comma each
    side contains it with a comma each side (as the daily count, `refresh.py`, matches it)."""
    return Q(
        Contains(Concat(Value(","), field, Value(","), output_field=CharField()), f",{token},")
    )


def served_councils() -> set[str]:
    """The councils the site serves: every council where a published listing is based."""
    codes = ListingPage.objects.live().order_by().values_list("local_authority_code", flat=True)
    return set(codes.distinct()) - {""}


def counted_served_councils() -> set[str]:
    """The councils served at the latest daily count (as served now for a count that did not
    keep them)."""
    counted = Refresh.objects.order_by("-counted_at").first()
    served = counted.served_councils if counted else None
    return served_councils() if served is None else served


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


def live_unmet(filters: Filters) -> dict:
    """Every unmet-demand figure, counted from the searches now."""
    qs = unmet(filters)

    def tokens(field, values):
        aggregates = {}
        for i, token in enumerate(values):
            aggregates.update(source_aggregates(token_q(field, token), prefix=f"t{i}_"))
        aggregates.update(source_aggregates(Q(**{field: ""}), prefix="none_"))
        found = qs.aggregate(**aggregates)
        counts = {token: sources(found, f"t{i}_") for i, token in enumerate(values)}
        return {**counts, "": sources(found, "none_")}

    return {
        "total": qs.count(),
        "council": {
            row["local_authority_code"]: sources(row)
            for row in qs.values("local_authority_code").annotate(**source_aggregates())
        },
        "need": tokens("needs", list(Need.objects.values_list("slug", flat=True))),
        "age": {
            row["age_band"]: sources(row)
            for row in qs.values("age_band").annotate(**source_aggregates())
        },
        "day": tokens("days", list(DAY_CODES.values())),
    }


def stored_unmet(filters: Filters) -> dict:
    """The same figures, read from the daily count (`UnmetCount`)."""
    qs = UnmetCount.objects.filter(
        month__gte=filters.start,
        month__lte=filters.end,
        kind=filters.kind or ALL,
        need=filters.need or ALL,
    ).order_by()
    if filters.age_band:
        qs = qs.filter(age_band=filters.age_band[2])
    if filters.rural is not None:
        qs = qs.filter(rural=filters.rural)
    every = qs.filter(council=filters.council or ALL)
    sums = {"n": Sum("n"), "search": Sum("searches"), "brokerage": Sum("brokerage")}

    def by(rows, part, field):
        found = rows.filter(part=part).values(field).annotate(**sums)
        return {row[field]: sources(row) for row in found}

    councils = qs.filter(council=filters.council) if filters.council else qs.exclude(council=ALL)
    need, day = by(every, "need", "item"), by(every, "day", "item")
    empty = sources({})
    return {
        "total": every.filter(part="all").aggregate(n=Sum("n"))["n"] or 0,
        "council": by(councils, "all", "council"),
        "need": {
            slug: need.get(slug, empty)
            for slug in [*Need.objects.values_list("slug", flat=True), ""]
        },
        "age": by(every, "all", "age_band"),
        "day": {code: day.get(code, empty) for code in [*DAY_CODES.values(), ""]},
    }


def sources(values: dict, prefix: str = "") -> dict:
    return {key: values.get(f"{prefix}{key}") or 0 for key in ("n", "search", "brokerage")}


def source_row(label, values) -> list:
    return [label, *(values.get(key) or 0 for key in ("n", "search", "brokerage"))]


def unmet_by_council(found: dict, served: set[str]) -> list[Table]:
    rows = found
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


def unmet_by_tokens(found, *, tokens, id, caption, heading, none_label, noun) -> Table:
    rows = [source_row(label, found.get(token, {})) for token, label in tokens]
    rows.append(source_row(none_label, found.get("", {})))
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


def unmet_by_age(found: dict) -> Table:
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


def unmet_figures(filters: Filters, stored: bool) -> dict:
    return stored_unmet(filters) if stored else live_unmet(filters)


def unmet_tables(filters: Filters, stored: bool = False) -> list[Table]:
    found = unmet_figures(filters, stored)
    total = found["total"]
    served = counted_served_councils() if stored else served_councils()
    tables = unmet_by_council(found["council"], served)
    tables[0].summary = f"{plural(total, 'search', 'searches')} found too little in all. " + (
        tables[0].summary
    )
    tables.append(
        unmet_by_tokens(
            found["need"],
            tokens=list(Need.objects.values_list("slug", "name")),
            id="demand-need",
            caption="Unmet searches by need",
            heading="Need",
            none_label="No need given",
            noun="need",
        )
    )
    tables.append(unmet_by_age(found["age"]))
    tables.append(
        unmet_by_tokens(
            found["day"],
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


def hours_between(start: datetime.datetime, end: datetime.datetime) -> int:
    """Whole hours from `start` to `end`: the histogram bucket of a timing (medians cannot be
    added up, so the daily count keeps how many requests took each whole number of hours)."""
    return int((end - start).total_seconds() // 3600)


def median_of(counts: dict) -> float | None:
    """The median of a histogram {value: how many}: the middle value, or the mean of the two
    middle values."""
    total = sum(counts.values())
    if not total:
        return None
    middle, seen, low = (total - 1) // 2, 0, None
    for value in sorted(counts):
        seen += counts[value]
        if low is None and seen > middle:
            low = value
        if seen > total // 2:
            median = (low + value) / 2
            return int(median) if median == int(median) else median
    return None


def median_days(hours: dict) -> float | None:
    median = median_of(hours)
    return None if median is None else round(median / 24, 1)


def first_offer_at() -> Subquery:
    return Subquery(
        Offer.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(first=Min("sent_at"))
        .values("first")
    )


def agreed_at() -> Subquery:
    return Subquery(
        RequestEvent.objects.filter(
            request=OuterRef("pk"), offer__isnull=True, to_status=Status.MATCHED
        )
        .order_by()
        .values("request")
        .annotate(first=Min("at"))
        .values("first")
    )


def live_brokerage(filters: Filters) -> dict:
    """Every brokerage figure, counted from the requests, offers, outcomes and reviews now."""
    qs = requests(filters)
    timings = qs.annotate(first_offer=first_offer_at(), agreed=agreed_at()).values_list(
        "submitted_at", "first_offer", "agreed"
    )
    offer_hours, agree_hours = Counter(), Counter()
    for sent, offer, agreed in timings:
        if offer:
            offer_hours[hours_between(sent, offer)] += 1
        if agreed:
            agree_hours[hours_between(sent, agreed)] += 1
    declined = Offer.objects.filter(request__in=qs.values("pk"), status=OfferStatus.DECLINED)
    closed = outcomes(filters)
    reasons = closed.aggregate(
        **{value: Count("pk", filter=token_q("reasons", value)) for value in UnmatchedReason.values}
    )
    close_days: dict = {}
    for outcome, days, n in (
        closed.filter(days_to_close__isnull=False)
        .values("outcome", "days_to_close")
        .annotate(n=Count("pk"))
        .values_list("outcome", "days_to_close", "n")
    ):
        close_days.setdefault(outcome, {})[days] = n

    def counted(rows, field):
        return dict(rows.values(field).annotate(n=Count("pk")).values_list(field, "n"))

    return {
        "status": counted(qs, "status"),
        "offer_hours": dict(offer_hours),
        "agree_hours": dict(agree_hours),
        "decline": counted(declined.order_by(), "decline_reason"),
        "outcome": counted(closed, "outcome"),
        "close_days": close_days,
        "reason": {key: n for key, n in reasons.items() if n},
        "feeling": counted(reviews(filters), "feeling"),
    }


def brokerage_counts(filters: Filters, *, need=True, rural=True, age=True):
    """The daily count's brokerage rows for the filters; `need`, `rural` and `age` say which
    of them apply (outcomes record no needs nor rural; reviews only their council)."""
    qs = BrokerageCount.objects.filter(
        month__gte=filters.start,
        month__lte=filters.end,
        council=filters.council or ALL,
        need=(filters.need or ALL) if need else ALL,
    ).order_by()
    if not age:
        qs = qs.filter(age_band=ALL)
    elif filters.age_band:
        qs = qs.filter(age_band=filters.age_band[2])
    if rural and filters.rural is not None:
        qs = qs.filter(rural=filters.rural)
    return qs


def stored_brokerage(filters: Filters) -> dict:
    """The same figures, read from the daily count (`BrokerageCount`)."""
    found: dict = {}
    request_parts = ("status", "offer_hours", "agree_hours", "decline")
    rows = (
        brokerage_counts(filters)
        .filter(part__in=request_parts)
        .values("part", "item")
        .annotate(total=Sum("n"))
    )
    outcome_rows = (
        brokerage_counts(filters, need=False, rural=False)
        .filter(part__in=("outcome", "close_days", "reason"))
        .values("part", "item")
        .annotate(total=Sum("n"))
    )
    review_rows = (
        brokerage_counts(filters, need=False, rural=False, age=False)
        .filter(part="feeling")
        .values("part", "item")
        .annotate(total=Sum("n"))
    )
    for part in (*request_parts, "outcome", "close_days", "reason", "feeling"):
        found[part] = {}
    for row in [*rows, *outcome_rows, *review_rows]:
        part, item, n = row["part"], row["item"], row["total"]
        if part in ("offer_hours", "agree_hours"):
            found[part][int(item)] = n
        elif part == "close_days":
            outcome, days = item.split(":")
            found[part].setdefault(outcome, {})[int(days)] = n
        else:
            found[part][item] = n
    return found


def brokerage_tables(filters: Filters, stored: bool = False) -> list[Table]:
    found = stored_brokerage(filters) if stored else live_brokerage(filters)
    status = found["status"]
    counts = {
        "submitted": sum(status.values()),
        "open": sum(status.get(value, 0) for value in OPEN_STATUSES),
        "matched": status.get(Status.MATCHED, 0),
        "unmatched": status.get(Status.UNMATCHED, 0),
        "withdrawn": status.get(Status.WITHDRAWN, 0),
    }
    to_offer, to_agreement = found["offer_hours"], found["agree_hours"]
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
            [
                "Had a first offer sent to a provider",
                sum(to_offer.values()),
                median_days(to_offer),
            ],
            ["Reached an agreement", sum(to_agreement.values()), median_days(to_agreement)],
        ],
        note="Median days: from the request being sent to the first offer sent to a provider, "
        "and to the agreement being confirmed by the family and the provider, each time "
        "counted in whole hours (the daily count keeps how many requests took each number of "
        "hours, and the median is read from those counts).",
        chart=False,
    )

    reasons = found["decline"]
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
    return [summary_table, decline_table, *outcome_tables(found)]


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


def reviews(filters: Filters):
    qs = Review.objects.filter(held_on__gte=filters.start, held_on__lte=filters.end).order_by()
    if filters.council:
        qs = qs.filter(agreement__request__local_authority_code=filters.council)
    return qs


def outcome_tables(found: dict) -> list[Table]:
    outcome = found["outcome"]
    closed = sum(outcome.values())
    rows = [
        [label, outcome.get(value, 0), median_of(found["close_days"].get(value, {}))]
        for value, label in Outcome.choices
    ]
    matched = outcome.get(Outcome.MATCHED, 0)
    reason_rows = [
        [label, found["reason"].get(value, 0)] for value, label in UnmatchedReason.choices
    ]
    feelings = found["feeling"]
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
                f"{plural(outcome.get(Outcome.UNMATCHED, 0), 'request')} closed with no suitable "
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
