"""Trends: demand and new listings month by month over the period (the last 12 months unless
the filters say otherwise). One aggregate query a column, grouped by calendar month."""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth

from brokerage.choices import Outcome
from directory.models import ListingPage

from .demand import local_days, outcomes, requests, unmet
from .filters import Filters
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


def trend_table(filters: Filters) -> Table:
    new = listings(filters, ListingPage.objects.live()).filter(
        local_days("first_published_at", filters.start, filters.end)
    )
    columns = {
        "unmet": by_month(unmet(filters), "searched_on"),
        "requests": by_month(requests(filters), "submitted_at"),
        "matched": by_month(outcomes(filters).filter(outcome=Outcome.MATCHED), "closed_on"),
        "listings": by_month(new, "first_published_at"),
    }
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
