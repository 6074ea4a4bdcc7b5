"""The embedded backend's "what": the listings that meet every filter and may be shown, as SQL.

Written out rather than built with the ORM because a search asks it up to three times (for
the listings near the family, then for more venues when it widens, or for every listing when
there is no place), and building and compiling an ORM query with a dozen conditions and
correlated subqueries cost several times more than the database took to answer it
(docs/decisions/0006). So the conditions are written once per search, and each run binds a
new list of ids as one parameter.

The rules are the same as the directory's (`ListingPageQuerySet.in_directory`: live, confirmed
within the expiry period, not past the DBS grace period, not in a section with a view
restriction, every date from `directory.rules`) and the engine backend's
(`engine.filter_clauses`); the shared contract suite
(tests/search/test_backend_contract.py) holds all of them to the same answers. Table and column
names come from the models; every value is a bound parameter, prepared by its model field as
the ORM would prepare it.
"""

import datetime

import psycopg
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from wagtail.models import Page, PageViewRestriction

from core.dates import today
from directory import rules
from directory.choices import CostUnit, DBSStatus
from directory.models import ListingPage, ListingStatus

from ..query import Filters

# The ranking row of a listing, in this order; the engine backend lays its rows out the same way.
ROW_COLUMNS = (
    "l.page_ptr_id",
    "p.title",
    "l.latitude",
    "l.longitude",
    "l.at_venue",
    "l.comes_to_family",
    "l.travel_radius_miles",
    "s.assured_date",
    "l.kind",
    "l.capacity_now",
)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def prep(model, field_name: str, value):
    """`value` as the ORM would bind it for `model.field_name`."""
    field = model._meta.get_field(field_name)
    return field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)


def listing(field_name: str, value):
    return prep(ListingPage, field_name, value)


def status(field_name: str, value):
    return prep(ListingStatus, field_name, value)


class ListingSQL:
    """The filters and visibility rules of one search, written once; `rows(ids)` runs them."""

    def __init__(self, filters: Filters, text: str = "", on: datetime.date | None = None):
        self.where: list[str] = []
        self.params: list = []
        self.cutoffs = rules.Cutoffs.on(on or today())
        self.visible(self.cutoffs)
        self.filter(filters)
        self.words(text)
        self.sql = (
            f"SELECT {', '.join(ROW_COLUMNS)} "  # noqa: S608 (names from the models)
            f"FROM {quote(ListingPage._meta.db_table)} l "
            f"JOIN {quote(Page._meta.db_table)} p ON p.id = l.page_ptr_id "
            f"JOIN {quote(ListingStatus._meta.db_table)} s ON s.listing_id = l.page_ptr_id "
            f"WHERE {' AND '.join(self.where)}"
        )

    def add(self, condition: str, *params) -> None:
        self.where.append(condition)
        self.params.extend(params)

    def rows(self, ids=None) -> list[tuple]:
        """The ranking rows of the listings among `ids` (all of them when `ids` is None)."""
        sql, params = self.sql, list(self.params)
        if ids is not None:
            if not ids:
                return []
            condition, values = id_condition("l.page_ptr_id", ids)
            sql, params = f"{sql} AND {condition}", params + values
        return fetch_all(sql, params)

    # --- what a family may see ---------------------------------------------------------------

    def visible(self, cutoffs: rules.Cutoffs) -> None:
        """`directory.rules.in_directory`, live and public."""
        self.add("p.live = %s", True)
        self.add("s.assured_date > %s", status("assured_date", cutoffs.expired_on_or_before))
        self.add("s.closed_on IS NULL")
        self.add(
            "(s.dbs_lapsed_on IS NULL OR s.dbs_lapsed_on > %s)",
            status("dbs_lapsed_on", cutoffs.dbs_hidden_lapsed_on_or_before),
        )
        # Wagtail's `public()`: nothing in (or under) a page with a view restriction.
        restrictions = quote(PageViewRestriction._meta.db_table)
        self.add(
            f"NOT EXISTS (SELECT 1 FROM {restrictions} r "  # noqa: S608
            f"JOIN {quote(Page._meta.db_table)} rp ON rp.id = r.page_id "
            "WHERE SUBSTR(p.path, 1, LENGTH(rp.path)) = rp.path AND p.depth >= rp.depth"
            f"{subquery_fence()})"
        )

    # --- what the family asked for -----------------------------------------------------------

    def filter(self, f: Filters) -> None:
        if f.kinds:
            self.add(f"l.kind IN ({marks(f.kinds)})", *f.kinds)
        if f.service_types:
            self.linked_any("service_types", f.service_types)
        for slug in f.needs:
            self.linked_any("needs", [slug])
        for slug in f.skills:
            self.linked_any("skills", [slug])
        for slug in f.access_features:
            self.linked_any("access_features", [slug])
        if f.funding:
            self.linked_any("funding_accepted", f.funding)
        if f.languages:
            self.linked_any("languages", f.languages)
        if f.days:
            through = ListingPage.days.through._meta.db_table
            self.add(
                f"EXISTS (SELECT 1 FROM {quote(through)} x "  # noqa: S608
                f"WHERE x.listingpage_id = l.page_ptr_id AND x.weekday_id IN ({marks(f.days)})"
                f"{subquery_fence()})",
                *[int(day) for day in f.days],
            )
        if f.age is not None:
            self.add("l.age_min <= %s AND l.age_max >= %s", int(f.age), int(f.age))
        if f.at_time is not None:
            at = listing("time_from", f.at_time)
            self.add("(l.time_from IS NULL OR (l.time_from <= %s AND l.time_to > %s))", at, at)
        for flag, wanted in (
            ("term_time", f.term_time),
            ("school_holidays", f.school_holidays),
            ("overnight", f.overnight),
        ):
            if wanted:
                self.add(f"l.{flag} = %s", True)
        if f.free_only:
            self.add("l.cost_unit = %s", CostUnit.FREE.value)
        elif f.max_hourly_cost is not None:
            self.add(
                "(l.cost_unit = %s OR (l.cost_unit = %s AND l.cost_amount <= %s))",
                CostUnit.FREE.value,
                CostUnit.HOUR.value,
                listing("cost_amount", f.max_hourly_cost),
            )
        if f.verified_dbs_only:
            current = (DBSStatus.VERIFIED.value, DBSStatus.DUE_SOON.value)
            self.add(f"s.dbs_status IN ({marks(current)})", *current)
        if f.kitemarked_only:
            current_from = status("kitemark_expires_on", self.cutoffs.kitemark_current_from)
            self.add("s.kitemark_expires_on >= %s", current_from)
        if f.has_capacity:
            self.add("l.capacity_now > %s", 0)

    def linked_any(self, relation: str, slugs) -> None:
        """The listing is linked to at least one of the taxonomy items `slugs`: a correlated
        EXISTS on the link table, checked only for the listings the ids let through. The
        items' ids are looked up once per query (on PostgreSQL an array, so each check is one
        probe of the link table's index), not joined again for every listing."""
        field = getattr(ListingPage, relation)
        through = field.through._meta.db_table
        target = field.field.related_model._meta
        items = f"SELECT t.id FROM {quote(target.db_table)} t WHERE t.slug IN ({marks(slugs)})"  # noqa: S608
        column = f"x.{quote(target.model_name + '_id')}"
        if connection.vendor == "postgresql":
            among = f"{column} = ANY(ARRAY({items}))"
        else:
            among = f"{column} IN ({items})"
        self.add(
            f"EXISTS (SELECT 1 FROM {quote(through)} x "  # noqa: S608
            f"WHERE x.listingpage_id = l.page_ptr_id AND {among}{subquery_fence()})",
            *slugs,
        )

    def words(self, text: str) -> None:
        """Every word (at most 8) is in the name, the summary or the description, in any case."""
        like = connection.operators["icontains"]
        for word in text.split()[:8]:
            pattern = f"%{connection.ops.prep_for_like_query(word)}%"
            either = []
            for column, field_name in (
                ("p.title", "title"),
                ("l.summary", "summary"),
                ("l.description", "description"),
            ):
                model = Page if field_name == "title" else ListingPage
                internal = model._meta.get_field(field_name).get_internal_type()
                lhs = connection.ops.lookup_cast("icontains", internal) % column
                either.append(f"{lhs} {like % '%s'}")
            self.add(f"({' OR '.join(either)})", pattern, pattern, pattern)


def fetch_all(sql: str, params) -> list[tuple]:
    """Run one of search's statements and return its rows.

    On PostgreSQL, with prepared statements on (`prepare_threshold` in the connection's
    OPTIONS, see config/settings/base.py), the values are bound on the server, so psycopg
    prepares a statement once it has run a few times on the connection, and PostgreSQL no
    longer parses and plans it for every search: that was about half of each statement's
    time at 10,000 listings. Django's own queries bind on the client and are never prepared.
    The cursor is still Django's, so errors and test instrumentation work as for any other
    query. With DEBUG on, Django logs each query's SQL, which it cannot recover from a
    prepared statement, so nothing is prepared then."""
    connection.ensure_connection()
    raw = connection.connection
    if (
        connection.vendor != "postgresql"
        or raw.prepare_threshold is None
        or connection.queries_logged
    ):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    connection.validate_thread_sharing()
    with connection.make_cursor(psycopg.Cursor(raw)) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def id_condition(column: str, ids) -> tuple[str, list]:
    """SQL saying `column` is one of `ids`, all of them bound as one parameter, so thousands
    cost nothing to prepare and the statement is the same whatever their number: PostgreSQL
    gets an array (`= ANY`, which its planner answers with index probes), written as its text
    form (psycopg adapting a Python list of 15,000 ids item by item took longer than the
    query), SQLite a JSON list read by its built-in `json_each`."""
    return id_sql(column), [id_param(ids)]


def id_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::integer[])"
    return f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608


def id_param(ids):
    text = ",".join(map(str, map(int, ids)))
    return "{" + text + "}" if connection.vendor == "postgresql" else "[" + text + "]"


def id_filter(ids) -> RawSQL:
    """A queryset filter: the listing is one of `ids`."""
    sql, params = id_condition(listing_column("page_ptr_id"), ids)
    return RawSQL(sql, params, output_field=BooleanField())  # noqa: S611 (all bound)


def listing_column(column: str) -> str:
    return f"{quote(ListingPage._meta.db_table)}.{quote(column)}"


def subquery_fence() -> str:
    """Ends a correlated EXISTS so that PostgreSQL checks it row by row, for the few hundred
    listings the ids let through, instead of turning it into a join: planning the joins of a
    search with three filters took longer (3.5 ms) than running it. SQLite checks EXISTS row
    by row anyway (and allows no OFFSET without a LIMIT)."""
    return " OFFSET 0" if connection.vendor == "postgresql" else ""


def marks(values) -> str:
    return ", ".join(["%s"] * len(values))
