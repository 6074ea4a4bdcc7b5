"""The daily count behind the dashboard (`manage.py refresh_sufficiency`, or "Refresh now"
through the task worker): every figure the dashboard shows, counted into the small tables of
`models.py` by GROUP BY in the database, replacing the last count in one transaction.

Unmet searches (a million rows) and listings are counted by `INSERT ... SELECT` over the
source rows, joined to the filters' values: a search that asked for two needs is one row under
"every need" and one under each need it asked for, as the live dashboard's filters and tables
count it (`demand.token_q`: a value is one of a comma-separated field's values). Brokerage
requests (tens of thousands) are grouped by the database and their timings read once."""

import time
from collections import Counter

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from brokerage.choices import OfferStatus, UnmatchedReason
from brokerage.models import Offer, RequestOutcome, Review, SupportRequest
from core.dates import today
from directory import rules
from directory.choices import CapacityUnit, ListingKind
from directory.models import ListingPage, Need, ServiceType
from search.demand import AGE_BANDS, DAY_CODES
from search.models import UnmetDemand

from .demand import agreed_at, first_offer_at, hours_between, served_councils, token_q
from .models import ALL, BrokerageCount, Refresh, SupplyCount, UnmetCount, VoicesCount
from .reach_count import count_reach_daily
from .supply import CURRENT_DBS, SLOTS, rural_q
from .voices import count_voices_daily


def like_pattern(token: str) -> str:
    """The LIKE pattern (escape character a backslash) for `token` among the comma-separated
    values of a field padded with a comma each side."""
    escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%,{escaped},%"


def values_cte(name: str, columns: str, rows: list[tuple]) -> tuple[str, list]:
    placeholders = ", ".join("(" + ", ".join(["%s"] * len(row)) + ")" for row in rows)
    return f"{name}({columns}) AS (VALUES {placeholders})", [v for row in rows for v in row]


def month_sql(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS date)"


def padded(column: str) -> str:
    return f"(',' || {column} || ',')"


def has_token(column: str, alias: str) -> str:
    """`alias.tok` is ALL or one of `column`'s comma-separated values."""
    return f"({alias}.tok = '{ALL}' OR {padded(column)} LIKE {alias}.pat ESCAPE '\\')"


def group_token(column: str, alias: str) -> str:
    """`alias.tok` is one of `column`'s values, or blank when `column` is blank."""
    return (
        f"(({alias}.tok = '' AND {column} = '') OR "
        f"({alias}.tok <> '' AND {padded(column)} LIKE {alias}.pat ESCAPE '\\'))"
    )


def tokens(values, *, everyone: bool) -> list[tuple]:
    rows = [(ALL, "")] if everyone else [("", "")]
    return rows + [(value, like_pattern(value)) for value in values]


# --- Unmet searches ---------------------------------------------------------------------------


def count_unmet() -> int:
    table = UnmetCount._meta.db_table
    source = connection.ops.quote_name(UnmetDemand._meta.db_table)
    kinds = list(ListingKind.values)
    needs = list(Need.objects.values_list("slug", flat=True))
    days = list(DAY_CODES.values())
    parts = {
        "all": ("gv(tok, pat) AS (VALUES ('', ''))", [], "gv.tok = ''"),
        "need": (
            *values_cte("gv", "tok, pat", tokens(needs, everyone=False)),
            group_token("u.needs", "gv"),
        ),
        "day": (
            *values_cte("gv", "tok, pat", tokens(days, everyone=False)),
            group_token("u.days", "gv"),
        ),
    }
    kind_cte, kind_params = values_cte("kf", "tok, pat", tokens(kinds, everyone=True))
    need_cte, need_params = values_cte("nf", "tok, pat", tokens(needs, everyone=True))
    q = connection.ops.quote_name
    written = 0
    with connection.cursor() as cursor:
        for part, (group_cte, group_params, group_on) in parts.items():
            # Only table and column names and fixed words are formatted in; values are parameters.
            sql = f"""
                WITH {kind_cte}, {need_cte}, {group_cte}
                INSERT INTO {q(table)} ({q("month")}, {q("council")}, {q("kind")}, {q("need")},
                    {q("age_band")}, {q("rural")}, {q("part")}, {q("item")}, {q("n")},
                    {q("searches")}, {q("brokerage")})
                SELECT {month_sql("u.searched_on")}, u.local_authority_code,
                    kf.tok, nf.tok, u.age_band, u.rural, %s, gv.tok, COUNT(*),
                    SUM(CASE WHEN u.source = 'search' THEN 1 ELSE 0 END),
                    SUM(CASE WHEN u.source = 'brokerage' THEN 1 ELSE 0 END)
                FROM {source} u
                CROSS JOIN kf
                CROSS JOIN nf
                CROSS JOIN gv
                WHERE {has_token("u.kinds", "kf")} AND {has_token("u.needs", "nf")}
                    AND {group_on}
                GROUP BY {month_sql("u.searched_on")}, u.local_authority_code,
                    kf.tok, nf.tok, u.age_band, u.rural, gv.tok
            """  # noqa: S608
            cursor.execute(sql, [*kind_params, *need_params, *group_params, part])
            written += cursor.rowcount
    return written + every_council(
        UnmetCount,
        ["month", "kind", "need", "age_band", "rural", "part", "item"],
        ["n", "searches", "brokerage"],
    )


def every_council(model, dimensions: list[str], measures: list[str]) -> int:
    """Add the rows for every council (ALL) to `model`'s table by adding up its councils' rows:
    a search, listing or request is in one council, so nothing is counted twice (and the
    source rows are read once, not twice)."""
    q = connection.ops.quote_name
    dims = ", ".join(q(d) for d in dimensions)
    sums = ", ".join(f"SUM({q(m)})" for m in measures)
    table = q(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({q('council')}, {dims}, {', '.join(q(m) for m in measures)}) "  # noqa: S608
            f"SELECT %s, {dims}, {sums} FROM {table} GROUP BY {dims}",
            [ALL],
        )
        return cursor.rowcount


# --- Supply -----------------------------------------------------------------------------------


def flag(q: Q) -> Case:
    return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())


def listing_facts():
    """One row a listing that is live or in the directory, with the figures supply counts
    worked out by the same rules as the live dashboard (`supply.py`)."""
    cutoffs = rules.Cutoffs.on(today())
    in_directory = ListingPage.objects.in_directory().values("pk")
    live = ListingPage.objects.live().values("pk")
    capacity = Coalesce("capacity_now", 0)
    return (
        ListingPage.objects.filter(Q(pk__in=in_directory) | Q(pk__in=live))
        .order_by()
        .annotate(
            f_id=F("pk"),
            f_council=F("local_authority_code"),
            f_kind=F("kind"),
            f_age_min=F("age_min"),
            f_age_max=F("age_max"),
            f_in=flag(Q(pk__in=in_directory)),
            f_live=flag(Q(pk__in=live)),
            f_rural=Case(
                When(rural_q(True), then=Value(True)),
                When(rural_q(False), then=Value(False)),
                default=None,
                output_field=BooleanField(),
            ),
            f_verified=flag(Q(status__dbs_status__in=CURRENT_DBS)),
            f_kitemarked=flag(Q(status__kitemark_expires_on__gte=cutoffs.kitemark_current_from)),
            f_current=flag(Q(status__assured_date__gt=cutoffs.stale_on_or_before)),
            f_space=flag(Q(capacity_now__gt=0)),
            f_places=Case(
                When(capacity_unit=CapacityUnit.PLACES, then=capacity),
                default=Value(0),
                output_field=IntegerField(),
            ),
            f_hours=Case(
                When(capacity_unit=CapacityUnit.HOURS, then=capacity),
                default=Value(0),
                output_field=IntegerField(),
            ),
            f_month=TruncMonth("first_published_at", output_field=DateField()),
            **{f"f_{key}": flag(Q(where())) for key, _label, where in SLOTS},
        )
        .values(
            "f_id",
            "f_council",
            "f_kind",
            "f_age_min",
            "f_age_max",
            "f_in",
            "f_live",
            "f_rural",
            "f_verified",
            "f_kitemarked",
            "f_current",
            "f_space",
            "f_places",
            "f_hours",
            "f_month",
            *(f"f_{key}" for key, _label, _where in SLOTS),
        )
    )


SUPPLY_MEASURES = ("n", "places", "hours", "verified", "kitemarked", "current", "space")


def count_supply() -> int:
    q = connection.ops.quote_name
    facts, facts_params = listing_facts().query.sql_with_params()
    needs = list(Need.objects.values_list("slug", "pk"))
    bands = [(label, low, high) for low, high, label in AGE_BANDS]
    need_through = ListingPage.needs.through._meta.db_table
    type_through = ListingPage.service_types.through._meta.db_table
    need_cte, need_params = values_cte("nf", "tok, need_id", [(ALL, 0), *needs])
    age_cte, age_params = values_cte("af", "tok, low, high", [(ALL, 0, 0), *bands])
    slot_keys = [key for key, _label, _where in SLOTS]
    slot_cte, slot_params = values_cte("gs", "tok", [(key,) for key in slot_keys])
    band_cte, band_params = values_cte("ga", "tok, low, high", bands)
    slot_on = " OR ".join(f"(gs.tok = '{key}' AND f.f_{key} = 1)" for key in slot_keys)
    taxonomy = (
        "LEFT JOIN {through} gt ON gt.listingpage_id = f.f_id "
        "LEFT JOIN {table} gx ON gx.id = gt.{column}"
    )
    parts = {
        "all": ("", [], "''", "f.f_in = 1"),
        "service_type": (
            taxonomy.format(
                through=q(type_through),
                table=q(ServiceType._meta.db_table),
                column="servicetype_id",
            ),
            [],
            "COALESCE(gx.name, '')",
            "f.f_in = 1",
        ),
        "need": (
            taxonomy.format(
                through=q(need_through), table=q(Need._meta.db_table), column="need_id"
            ),
            [],
            "COALESCE(gx.name, '')",
            "f.f_in = 1",
        ),
        "age": (
            "JOIN ga ON f.f_age_min <= ga.high AND f.f_age_max >= ga.low",
            [],
            "ga.tok",
            "f.f_in = 1",
        ),
        "slot": (f"JOIN gs ON ({slot_on})", [], "gs.tok", "f.f_in = 1"),
        "new": ("", [], "''", "f.f_live = 1 AND f.f_month IS NOT NULL"),
    }
    measures = ", ".join(q(m) for m in SUPPLY_MEASURES)
    sums = "COUNT(*), " + ", ".join(
        f"SUM(f.f_{m})" for m in ("places", "hours", "verified", "kitemarked", "current", "space")
    )
    council = "f.f_council"
    written = 0
    with connection.cursor() as cursor:
        for part, (join, join_params, item, where) in parts.items():
            month = "f.f_month" if part == "new" else "NULL"
            # PostgreSQL groups by columns, never by a constant ('' or NULL).
            grouped = [council, "f.f_kind", "nf.tok", "af.tok", "f.f_rural"]
            grouped += [column for column in (item, month) if column not in ("''", "NULL")]
            # Only table and column names and fixed words are formatted in; values are parameters.
            sql = f"""
                WITH {need_cte}, {age_cte},
                    {slot_cte}, {band_cte}
                INSERT INTO {q(SupplyCount._meta.db_table)} ({q("council")}, {q("kind")},
                    {q("need")}, {q("age_band")}, {q("rural")}, {q("part")}, {q("item")},
                    {q("month")}, {measures})
                SELECT {council}, f.f_kind, nf.tok, af.tok, f.f_rural, %s, {item}, {month}, {sums}
                FROM ({facts}) f
                JOIN nf ON (nf.tok = '{ALL}' OR EXISTS (SELECT 1 FROM {q(need_through)} t
                    WHERE t.listingpage_id = f.f_id AND t.need_id = nf.need_id))
                JOIN af ON (af.tok = '{ALL}' OR (f.f_age_min <= af.high AND f.f_age_max >= af.low))
                {join}
                WHERE {where}
                GROUP BY {", ".join(grouped)}
            """  # noqa: S608
            params = [
                *need_params,
                *age_params,
                *slot_params,
                *band_params,
                part,
                *facts_params,
                *join_params,
            ]
            cursor.execute(sql, params)
            written += cursor.rowcount
    dimensions = ["kind", "need", "age_band", "rural", "part", "item", "month"]
    return written + every_council(SupplyCount, dimensions, list(SUPPLY_MEASURES))


# --- Brokerage --------------------------------------------------------------------------------


def age_band_of(field: str) -> Case:
    return Case(
        *(
            When(**{f"{field}__gte": low, f"{field}__lte": high}, then=Value(label))
            for low, high, label in AGE_BANDS
        ),
        default=Value(""),
    )


def count_brokerage() -> int:
    counts: Counter = Counter()

    def add(part, month, council, need, age, rural, item, n):
        if hasattr(month, "date"):
            month = month.date()
        for where in (council, ALL):
            counts[(part, month, where, need, age, rural, item)] += n

    sent = SupportRequest.objects.filter(submitted_at__isnull=False).order_by()
    dims = {
        "month": TruncMonth("submitted_at"),
        "band": age_band_of("age"),
    }
    statuses = sent.annotate(**dims).values(
        "month", "local_authority_code", "band", "rural", "status"
    )
    for row in statuses.annotate(n=Count("pk")):
        add(
            "status",
            row["month"],
            row["local_authority_code"],
            ALL,
            row["band"],
            row["rural"],
            row["status"],
            row["n"],
        )
    for row in statuses.annotate(need=F("needs__slug"), n=Count("pk")).filter(need__isnull=False):
        add(
            "status",
            row["month"],
            row["local_authority_code"],
            row["need"],
            row["band"],
            row["rural"],
            row["status"],
            row["n"],
        )

    declined = Offer.objects.filter(request__in=sent.values("pk"), status=OfferStatus.DECLINED)
    declines = (
        declined.order_by()
        .annotate(month=TruncMonth("request__submitted_at"), band=age_band_of("request__age"))
        .values(
            "month", "request__local_authority_code", "band", "request__rural", "decline_reason"
        )
    )
    for row in declines.annotate(n=Count("pk")):
        add(
            "decline",
            row["month"],
            row["request__local_authority_code"],
            ALL,
            row["band"],
            row["request__rural"],
            row["decline_reason"],
            row["n"],
        )
    for row in declines.annotate(need=F("request__needs__slug"), n=Count("pk")).filter(
        need__isnull=False
    ):
        add(
            "decline",
            row["month"],
            row["request__local_authority_code"],
            row["need"],
            row["band"],
            row["request__rural"],
            row["decline_reason"],
            row["n"],
        )

    # Timings: whole hours from sending to the first offer and to the agreement, a histogram.
    timed = sent.annotate(
        month=TruncMonth("submitted_at"),
        band=age_band_of("age"),
        first_offer=first_offer_at(),
        agreed=agreed_at(),
    ).values_list(
        "pk",
        "month",
        "local_authority_code",
        "band",
        "rural",
        "submitted_at",
        "first_offer",
        "agreed",
    )
    needs_of: dict[int, list[str]] = {}
    for pk, slug in SupportRequest.needs.through.objects.filter(
        supportrequest__in=sent.values("pk")
    ).values_list("supportrequest_id", "need__slug"):
        needs_of.setdefault(pk, []).append(slug)
    for pk, month, council, band, rural, submitted, offer, agreed in timed:
        for part, end in (("offer_hours", offer), ("agree_hours", agreed)):
            if end is None:
                continue
            hours = str(hours_between(submitted, end))
            for need in (ALL, *needs_of.get(pk, ())):
                add(part, month, council, need, band, rural, hours, 1)

    closed = (
        RequestOutcome.objects.order_by()
        .annotate(month=TruncMonth("closed_on"))
        .values("month", "local_authority_code", "age_band")
    )
    for row in closed.annotate(item=F("outcome"), n=Count("pk")):
        add(
            "outcome",
            row["month"],
            row["local_authority_code"],
            ALL,
            row["age_band"],
            None,
            row["item"],
            row["n"],
        )
    for row in closed.filter(days_to_close__isnull=False).annotate(
        o=F("outcome"), d=F("days_to_close"), n=Count("pk")
    ):
        add(
            "close_days",
            row["month"],
            row["local_authority_code"],
            ALL,
            row["age_band"],
            None,
            f"{row['o']}:{row['d']}",
            row["n"],
        )
    for reason in UnmatchedReason.values:
        for row in closed.filter(token_q("reasons", reason)).annotate(n=Count("pk")):
            add(
                "reason",
                row["month"],
                row["local_authority_code"],
                ALL,
                row["age_band"],
                None,
                reason,
                row["n"],
            )
    reviews = (
        Review.objects.order_by()
        .annotate(month=TruncMonth("held_on"))
        .values("month", "agreement__request__local_authority_code", "feeling")
    )
    for row in reviews.annotate(n=Count("pk")):
        add(
            "feeling",
            row["month"],
            row["agreement__request__local_authority_code"],
            ALL,
            ALL,
            None,
            row["feeling"],
            row["n"],
        )

    BrokerageCount.objects.bulk_create(
        (
            BrokerageCount(
                part=part,
                month=month,
                council=council or "",
                need=need,
                age_band=age,
                rural=rural,
                item=item or "",
                n=n,
            )
            for (part, month, council, need, age, rural, item), n in counts.items()
        ),
        batch_size=5000,
    )
    return len(counts)


# --- The whole refresh ------------------------------------------------------------------------


def refresh_figures(*, requested_by: str = "") -> Refresh:
    """Count every figure again and replace the last count, in one transaction: the dashboard
    reads either the old figures or the new, never a mixture."""
    started = time.perf_counter()
    counted_at = timezone.now()
    with transaction.atomic():
        for model in (UnmetCount, SupplyCount, BrokerageCount, VoicesCount):
            model.objects.all()._raw_delete(connection.alias)
        served = served_councils()
        count_unmet()
        count_supply()
        count_brokerage()
        count_reach_daily(served)
        count_voices_daily()
        return Refresh.objects.create(
            counted_at=counted_at,
            seconds=round(time.perf_counter() - started, 2),
            requested_by=requested_by,
            served=",".join(sorted(served)),
        )


def latest_refresh() -> Refresh | None:
    return Refresh.objects.order_by("-counted_at").first()
