"""Supply: the listings a family may find today (`in_directory`), and their capacity, by kind,
service type, need, age band and time of day or week, each row with the share that is
DBS-verified, kitemarked, up to date and has space now. Aggregate queries only: one a table."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, Sum

from core.dates import today
from directory import rules
from directory.choices import KIND_PLURALS, CapacityUnit, DBSStatus, ListingKind
from directory.models import ListingPage, Need, ServiceType
from gazetteer.models import Postcode, RuralUrbanClass
from search.demand import AGE_BANDS

from .filters import Filters
from .models import ALL, SupplyCount
from .tables import COUNT, LABEL, NUMBER, SHARE, Column, Table, plural

CURRENT_DBS = (DBSStatus.VERIFIED, DBSStatus.DUE_SOON)
WEEKDAYS, WEEKEND = (1, 2, 3, 4, 5), (6, 7)
EVENING = datetime.time(18, 0)
RURAL_CODE = Q(code__startswith="D") | Q(code__startswith="E")

METRIC_COLUMNS = [
    Column("Listings", COUNT),
    Column("Places now", NUMBER),
    Column("Hours a week now", NUMBER),
    Column("DBS-verified", SHARE),
    Column("Kitemarked", SHARE),
    Column("Up to date", SHARE),
    Column("Space now", SHARE),
]
METRICS = ("n", "places", "hours", "verified", "kitemarked", "current", "space")


def rural_q(rural: bool, postcode_field: str = "postcode") -> Q:
    """Listings whose postcode's LSOA the ONS classes rural (D1-E2) or urban (A1-C2). A listing
    whose postcode is not a full one in the gazetteer, or whose LSOA is not classified, is
    neither."""
    classes = RuralUrbanClass.objects.filter(RURAL_CODE)
    if not rural:
        classes = RuralUrbanClass.objects.exclude(RURAL_CODE)
    postcodes = Postcode.objects.filter(lsoa11__in=classes.values("lsoa11")).values("postcode")
    return Q(**{f"{postcode_field}__in": postcodes})


def classification_loaded() -> bool:
    return RuralUrbanClass.objects.exists()


def day_in(numbers) -> Exists:
    through = ListingPage.days.through
    return Exists(through.objects.filter(listingpage_id=OuterRef("pk"), weekday_id__in=numbers))


def listings(filters: Filters, qs=None):
    """The listings in the directory today (or `qs`), narrowed by the filters (each by a
    subquery, so no join multiplies the rows the tables count)."""
    qs = ListingPage.objects.in_directory() if qs is None else qs
    if filters.council:
        qs = qs.filter(local_authority_code=filters.council)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.need:
        with_need = ListingPage.needs.through.objects.filter(need__slug=filters.need)
        qs = qs.filter(pk__in=with_need.values("listingpage_id"))
    if filters.age_band:
        low, high, _label = filters.age_band
        qs = qs.filter(age_min__lte=high, age_max__gte=low)
    if filters.rural is not None:
        qs = qs.filter(rural_q(filters.rural))
    return qs.order_by()


def metric_aggregates(where: Q | None = None, prefix: str = "") -> dict:
    """The seven figures of a row, as aggregates; `where` narrows them to part of the rows (an
    age band, a time slot) so that one query gives every part."""
    cutoffs = rules.Cutoffs.on(today())

    def only(q: Q | None) -> Q | None:
        if where is None:
            return q
        return where if q is None else where & q

    counts = {
        "n": None,
        "verified": Q(status__dbs_status__in=CURRENT_DBS),
        "kitemarked": Q(status__kitemark_expires_on__gte=cutoffs.kitemark_current_from),
        "current": Q(status__assured_date__gt=cutoffs.stale_on_or_before),
        "space": Q(capacity_now__gt=0),
    }
    aggregates = {
        f"{prefix}{name}": Count("pk", distinct=True, filter=only(q)) for name, q in counts.items()
    }
    aggregates[f"{prefix}places"] = Sum(
        "capacity_now", filter=only(Q(capacity_unit=CapacityUnit.PLACES))
    )
    aggregates[f"{prefix}hours"] = Sum(
        "capacity_now", filter=only(Q(capacity_unit=CapacityUnit.HOURS))
    )
    return aggregates


def grouped(qs, field: str) -> dict:
    """One row of figures per value of `field` (a column, or a taxonomy's name through the
    listing's many-to-many: each listing counts once under every term it has)."""
    rows = qs.values(field).annotate(**metric_aggregates()).order_by()
    return {row[field]: metrics(row) for row in rows}


def metrics(values: dict, prefix: str = "") -> dict:
    return {name: values.get(f"{prefix}{name}") or 0 for name in METRICS}


def live_figures(filters: Filters) -> dict:
    """Every supply figure, counted from the listings now."""
    qs = listings(filters)
    bands = {}
    for low, high, _label in AGE_BANDS:
        bands.update(metric_aggregates(Q(age_min__lte=high, age_max__gte=low), prefix=f"b{low}_"))
    slots = {}
    for key, _label, where in SLOTS:
        slots.update(metric_aggregates(Q(where()), prefix=f"{key}_"))
    by_band = qs.aggregate(**bands)
    by_slot = qs.aggregate(**slots)
    return {
        "kind": grouped(qs, "kind"),
        "total": metrics(qs.aggregate(**metric_aggregates())),
        "service_type": grouped(qs, "service_types__name"),
        "need": grouped(qs, "needs__name"),
        "age": {label: metrics(by_band, f"b{low}_") for low, _high, label in AGE_BANDS},
        "slot": {key: metrics(by_slot, f"{key}_") for key, _label, _where in SLOTS},
    }


def stored_figures(filters: Filters) -> dict:
    """The same figures, read from the daily count (`SupplyCount`)."""
    qs = SupplyCount.objects.filter(
        council=filters.council or ALL,
        need=filters.need or ALL,
        age_band=filters.age_band[2] if filters.age_band else ALL,
    ).order_by()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.rural is not None:
        qs = qs.filter(rural=filters.rural)
    sums = {name: Sum(name) for name in METRICS}

    def by(part, field):
        rows = qs.filter(part=part).values(field).annotate(**sums)
        return {row[field]: metrics(row) for row in rows}

    def none_blank(found):
        return {(key or None): value for key, value in found.items()}

    ages = by("age", "item")
    slots = by("slot", "item")
    return {
        "kind": by("all", "kind"),
        "total": metrics(qs.filter(part="all").aggregate(**sums)),
        "service_type": none_blank(by("service_type", "item")),
        "need": none_blank(by("need", "item")),
        "age": {label: ages.get(label, metrics({})) for _low, _high, label in AGE_BANDS},
        "slot": {key: slots.get(key, metrics({})) for key, _label, _where in SLOTS},
    }


def metric_row(label: str, values: dict) -> list:
    return [label, *(values.get(name) or 0 for name in METRICS)]


def by_kind(found: dict, total: dict) -> Table:
    rows = [metric_row(KIND_PLURALS[kind], found.get(kind, {})) for kind in ListingKind]
    rows.append(metric_row("All kinds", total))
    n, space = total["n"] or 0, total["space"] or 0
    parts = []
    for kind in ListingKind:
        count = found.get(kind, {}).get("n", 0)
        name = kind.label if count == 1 else KIND_PLURALS[kind]
        parts.append(f"{count:,} {name.lower()}")
    return Table(
        id="supply-kind",
        caption="Listings in the directory by kind",
        summary=(
            f"There are {plural(n, 'listing')} in the directory ({', '.join(parts)}); "
            f"{space:,} {'has' if space == 1 else 'have'} space now."
        ),
        columns=[Column("Kind", LABEL), *METRIC_COLUMNS],
        rows=rows,
    )


def by_taxonomy(found: dict, *, model, id, caption, heading, noun) -> Table:
    names = list(model.objects.values_list("name", flat=True))
    rows = [metric_row(name, found.get(name, {})) for name in names]
    if None in found:
        rows.append(metric_row(f"No {noun} given", found[None]))
    named = [row for row in rows[: len(names)]]
    empty = [row[0] for row in named if row[1] == 0]
    if named:
        most = max(named, key=lambda row: row[1])
        summary = f"{most[0]} has the most listings ({most[1]:,})"
        summary += (
            f"; {plural(len(empty), noun)} {'has' if len(empty) == 1 else 'have'} none: "
            f"{', '.join(empty)}."
            if empty
            else f"; every {noun} has at least one listing."
        )
    else:
        summary = f"No {noun}s are set up."
    return Table(
        id=id,
        caption=caption,
        summary=summary,
        columns=[Column(heading, LABEL), *METRIC_COLUMNS],
        rows=rows,
        note="A listing counts once under each one it offers, so the rows add up to more "
        "than the listings.",
    )


def by_age_band(found: dict) -> Table:
    rows = [metric_row(label, found[label]) for _low, _high, label in AGE_BANDS]
    fewest = min(rows, key=lambda row: row[1])
    return Table(
        id="supply-age",
        caption="Listings in the directory by age band",
        summary=(
            f"Ages {fewest[0]} have the fewest listings ({fewest[1]:,}); "
            + ", ".join(f"ages {row[0]}: {row[1]:,}" for row in rows)
            + "."
        ),
        columns=[Column("Ages", LABEL), *METRIC_COLUMNS],
        rows=rows,
        note="A listing counts in every band its ages overlap.",
    )


SLOTS = [
    (
        "weekday",
        "Weekday daytime",
        lambda: day_in(WEEKDAYS) & (Q(time_from__isnull=True) | Q(time_from__lt=EVENING)),
    ),
    ("evening", "Evenings (open after 6pm)", lambda: Q(time_to__gt=EVENING)),
    ("weekend", "Weekends", lambda: day_in(WEEKEND)),
    ("holidays", "School holidays", lambda: Q(school_holidays=True)),
    ("overnight", "Overnight", lambda: Q(overnight=True)),
]


def by_time_slot(found: dict) -> Table:
    rows = [metric_row(label, found[key]) for key, label, _where in SLOTS]
    counts = {key: found[key]["n"] for key, _label, _where in SLOTS}
    return Table(
        id="supply-times",
        caption="Listings in the directory by time",
        summary=(
            f"{plural(counts['evening'], 'listing')} {'is' if counts['evening'] == 1 else 'are'} "
            f"open in the evening, {counts['weekend']:,} at weekends, "
            f"{counts['holidays']:,} in school holidays and {counts['overnight']:,} overnight."
        ),
        columns=[Column("When", LABEL), *METRIC_COLUMNS],
        rows=rows,
        note="Weekday daytime: open on a day from Monday to Friday, starting before 6pm or with "
        "no times given. Evenings: closing after 6pm. A listing counts in every slot it offers.",
    )


def figures(filters: Filters, stored: bool) -> dict:
    return stored_figures(filters) if stored else live_figures(filters)


def supply_tables(filters: Filters, stored: bool = False) -> list[Table]:
    found = figures(filters, stored)
    return [
        by_kind(found["kind"], found["total"]),
        by_taxonomy(
            found["service_type"],
            model=ServiceType,
            id="supply-service-type",
            caption="Listings in the directory by service type",
            heading="Service type",
            noun="service type",
        ),
        by_taxonomy(
            found["need"],
            model=Need,
            id="supply-need",
            caption="Listings in the directory by need supported",
            heading="Need",
            noun="need",
        ),
        by_age_band(found["age"]),
        by_time_slot(found["slot"]),
    ]
