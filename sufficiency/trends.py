"""Trends: demand and new listings month by month over the period (the last 12 months unless
the filters say otherwise). One aggregate query a column, grouped by calendar month."""

import datetime

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from brokerage.choices import Outcome
from directory.models import ListingPage

from .demand import brokerage_counts, local_days, outcomes, requests, unmet
from .filters import Filters
from .models import ALL, SupplyCount, UnmetCount
from .supply import listings
from .tables import COUNT, LABEL, Column, Table, plural


def by_month(qs, field: str) -> dict[datetime.date, int]:
    rows = qs.annotate(month=TruncMonth(field)).values("month").annotate(n=Count("pk")).order_by()
    counts = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        if month is not None:
            counts[month.replace(day=1)] = counts.get(month.replace(day=1), 0) + row["n"]
    return counts


def live_trends(filters: Filters) -> dict:
    new = listings(filters, ListingPage.objects.live()).filter(
        local_days("first_published_at", filters.start, filters.end)
    )
    return {
        "unmet": by_month(unmet(filters), "searched_on"),
        "requests": by_month(requests(filters), "submitted_at"),
        "matched": by_month(outcomes(filters).filter(outcome=Outcome.MATCHED), "closed_on"),
        "listings": by_month(new, "first_published_at"),
    }


def stored_trends(filters: Filters) -> dict:
    """The same figures, read from the daily count."""

    def monthly(qs) -> dict[datetime.date, int]:
        return dict(qs.values("month").annotate(total=Sum("n")).values_list("month", "total"))

    unmet_rows = UnmetCount.objects.filter(
        part="all",
        month__gte=filters.start,
        month__lte=filters.end,
        council=filters.council or ALL,
        kind=filters.kind or ALL,
        need=filters.need or ALL,
    ).order_by()
    if filters.age_band:
        unmet_rows = unmet_rows.filter(age_band=filters.age_band[2])
    if filters.rural is not None:
        unmet_rows = unmet_rows.filter(rural=filters.rural)
    new = SupplyCount.objects.filter(
        part="new",
        month__gte=filters.start,
        month__lte=filters.end,
        council=filters.council or ALL,
        need=filters.need or ALL,
        age_band=filters.age_band[2] if filters.age_band else ALL,
    ).order_by()
    if filters.kind:
        new = new.filter(kind=filters.kind)
    if filters.rural is not None:
        new = new.filter(rural=filters.rural)
    return {
        "unmet": monthly(unmet_rows),
        "requests": monthly(brokerage_counts(filters).filter(part="status")),
        "matched": monthly(
            brokerage_counts(filters, need=False, rural=False).filter(
                part="outcome", item=Outcome.MATCHED
            )
        ),
        "listings": monthly(new),
    }


def trend_table(filters: Filters, stored: bool = False) -> Table:
    columns = stored_trends(filters) if stored else live_trends(filters)
    keys = list(columns)
    rows = [
        [month.strftime("%B %Y"), *(columns[key].get(month, 0) for key in keys)]
        for month in filters.months
    ]
    totals = {key: sum(columns[key].get(month, 0) for month in filters.months) for key in keys}
    first, last = filters.months[0], filters.months[-1]
    return Table(
        id="trends",
        caption="Demand and new listings by month",
        summary=(
            f"From {first:%B %Y} to {last:%B %Y}: "
            f"{plural(totals['unmet'], 'unmet search', 'unmet searches')}, "
            f"{plural(totals['requests'], 'brokerage request')} sent, "
            f"{totals['matched']:,} matched, and {plural(totals['listings'], 'new listing')} "
            f"published (and still published)."
        ),
        columns=[
            Column("Month", LABEL),
            Column("Unmet searches", COUNT),
            Column("Brokerage requests sent", COUNT),
            Column("Requests matched", COUNT),
            Column("New listings", COUNT),
        ],
        rows=rows,
        note="New listings: first published in the month and still published today.",
    )
