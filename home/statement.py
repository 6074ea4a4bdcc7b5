"""The Short Breaks Services Statement's figures, counted from the directory when the statement
is served, and the text a new statement starts with.

The Breaks for Carers of Disabled Children Regulations 2011 ask a council to publish the range
of short breaks available: day-time care in the home or elsewhere, overnight care, educational
and leisure activities, and services in the evenings, at weekends and in the school holidays.
Each is counted from the published listings a family can find (`in_directory`). A count from
1 to 4 is shown as "fewer than 5", so no small group of services stands out.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count

from core.dates import today
from core.disclosure import SUPPRESSED, is_small
from directory.choices import ELIGIBILITY_PLAIN, KIND_PLURALS, Eligibility, ListingKind
from directory.models import ListingPage

SATURDAY, SUNDAY = 6, 7  # `Weekday` ids (ISO: 1 is Monday)
EVENING = datetime.time(18, 0)


def shown(count: int) -> str:
    """A count as the public sees it: 1 to 4 become "fewer than 5"."""
    return SUPPRESSED if is_small(count) else str(count)


@dataclass(frozen=True)
class Row:
    label: str
    count: int

    @property
    def shown(self) -> str:
        return shown(self.count)


@dataclass(frozen=True)
class Table:
    caption: str
    heading: str  # the first column's heading
    rows: list[Row]


@dataclass(frozen=True)
class StatementFigures:
    as_of: datetime.date
    tables: list[Table]

    def table(self, caption: str) -> Table:
        return next(table for table in self.tables if table.caption == caption)


BY_KIND = "Short breaks by kind of service"
BY_OFFER = "What the short breaks offer"
BY_ELIGIBILITY = "Who can use them"


def statement_figures(on: datetime.date | None = None) -> StatementFigures:
    on = on or today()
    listings = ListingPage.objects.in_directory(on)
    kinds = listings.kind_counts()
    by_kind = [Row(KIND_PLURALS[kind], kinds[kind]) for kind in ListingKind]

    def number(qs) -> int:
        return qs.values("pk").distinct().count()

    by_offer = [
        Row(
            "Day-time care in the family's home or area",
            number(listings.filter(comes_to_family=True)),
        ),
        Row(
            "Day-time care somewhere else, such as a centre or club",
            number(listings.filter(at_venue=True)),
        ),
        Row("Overnight stays", number(listings.filter(overnight=True))),
        Row(
            "Educational and leisure activities (inclusive clubs)",
            kinds[ListingKind.INCLUSIVE_CLUB],
        ),
        Row("In the evening (after 6pm)", number(listings.filter(time_to__gt=EVENING))),
        Row("At weekends", number(listings.filter(days__id__in=[SATURDAY, SUNDAY]))),
        Row("In the school holidays", number(listings.filter(school_holidays=True))),
    ]
    eligibility = dict(listings.values_list("eligibility").annotate(n=Count("pk")).order_by())
    by_eligibility = [
        Row(ELIGIBILITY_PLAIN[choice], eligibility.get(choice, 0)) for choice in Eligibility
    ]
    return StatementFigures(
        as_of=on,
        tables=[
            Table(BY_KIND, "Kind of service", by_kind),
            Table(BY_OFFER, "What is offered", by_offer),
            Table(BY_ELIGIBILITY, "Who can use it", by_eligibility),
        ],
    )


# --- The text a new statement starts with (council staff edit it before publishing) -----------

STARTING_TEXT = {
    "title": "Short breaks services statement",
    "intro": (
        "<p>Short breaks give disabled children and young people time to have fun, make "
        "friends and try new things, and give their parents and carers a rest from caring. "
        "This statement tells you what short breaks there are in our area, who can have them "
        "and how to ask for them. The law asks every council to publish one and keep it up "
        "to date (the Breaks for Carers of Disabled Children Regulations 2011).</p>"
    ),
    "eligibility_criteria": (
        "<p>Anyone can use open access short breaks, such as inclusive clubs and activities. "
        "You do not need an assessment.</p>"
        "<p>Targeted short breaks are for children and young people whose needs mean they "
        "cannot use open access services without extra support. Specialist short breaks, "
        "including overnight stays, are for children and young people with complex needs. "
        "We decide who can have them after an assessment of your child's and your family's "
        "needs.</p>"
    ),
    "how_to_ask": (
        "<p>For open access short breaks, contact the provider on its listing.</p>"
        "<p>For targeted and specialist short breaks, ask the council for an assessment. "
        "If your child is eligible, you can have a direct payment to arrange short breaks "
        "yourself, or our brokerage service can find and arrange them for you.</p>"
    ),
    "families_views": (
        "<p>We ask families, and disabled children and young people, what short breaks they "
        "need and what they think of the ones they use, and we change our short breaks "
        "because of what they tell us. We review this statement at least once a year.</p>"
    ),
}
