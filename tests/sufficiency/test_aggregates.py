"""The daily count (`manage.py refresh_sufficiency`) gives the dashboard the very figures it
would count live, for every filter; the dashboard reads it when there is one, says when it was
counted, and lets council staff ask for a new count, which runs in the task worker."""

import datetime

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.dates import add_months, today
from directory.choices import ListingKind
from directory.models import ListingPage
from search.demand import AGE_BANDS
from sufficiency.demand import brokerage_tables, median_of, unmet_tables
from sufficiency.filters import Filters, default_period, month_end
from sufficiency.models import Refresh, UnmetCount
from sufficiency.reach import reach_tables
from sufficiency.refresh import refresh_figures
from sufficiency.supply import supply_tables
from sufficiency.trends import trend_table
from sufficiency.voices import voices_tables
from tests.factories.directory import NEWCASTLE, NORTHUMBERLAND
from tests.helpers import assert_denied, csv_rows, downloaded

from .conftest import DURHAM, at, demand_row
from .helpers import DASHBOARD, rows, sign_in, tables

pytestmark = pytest.mark.django_db

COUNCILS = ["", NORTHUMBERLAND, NEWCASTLE, DURHAM, "E06000057"]
KINDS = ["", *ListingKind.values]
NEEDS = ["", "autism", "adhd", "learning-disability", "physical-disability"]
BANDS = [None, *AGE_BANDS]


@pytest.fixture
def varied(everything, rural_classes):
    """conftest's hand-counted directory and demand, and unmet searches over three months
    that asked for several kinds, needs and days in either order (and a need whose slug
    starts another's), so that every way of counting a comma-separated field is tried."""
    this_month = today().replace(day=1)
    last_month = add_months(this_month, -1)
    demand_row(kinds="personal_assistant,short_break", needs="adhd,autism", days="sun,mon")
    demand_row(
        searched_on=last_month,
        kinds="inclusive_club",
        needs="learning-disability,autism,physical-disability",
        days="fri",
        age_band="16-18",
        rural=False,
        source="brokerage",
    )
    demand_row(searched_on=last_month, local_authority_code="", needs="autism-extra", days="")
    demand_row(searched_on=add_months(this_month, -2), local_authority_code=NEWCASTLE, needs="")
    return everything


def filters_for(council, kind, need, band, rural, months) -> Filters:
    start, end = default_period()
    if months:
        end = month_end(add_months(today().replace(day=1), -months[0]))
        start = add_months(end.replace(day=1), 1 - months[1])
    return Filters(
        start=start,
        end=end,
        council=council,
        kind=kind,
        need=need,
        age_band=band,
        rural=rural,
    )


def shown(tables) -> list:
    """Everything a table shows: its id, summary and rows."""
    return [(table.id, table.summary, table.rows) for table in tables]


def assert_same_live_and_counted(filters: Filters):
    for section in (supply_tables, unmet_tables, brokerage_tables):
        assert shown(section(filters, True)) == shown(section(filters, False)), (
            section.__name__,
            filters,
        )
    assert shown([trend_table(filters, True)]) == shown([trend_table(filters, False)]), filters
    assert shown(reach_tables(filters, True)) == shown(reach_tables(filters, False)), filters
    assert shown(voices_tables(filters, True)) == shown(voices_tables(filters, False)), filters


def test_every_figure_is_the_same_counted_daily_as_live_for_chosen_filters(varied):
    refresh_figures()
    for filters in [
        filters_for("", "", "", None, None, None),
        filters_for(NORTHUMBERLAND, "", "", None, None, None),
        filters_for("", "short_break", "autism", None, None, None),
        filters_for("", "", "adhd", AGE_BANDS[1], None, None),
        filters_for("", "", "", None, True, None),
        filters_for(NEWCASTLE, "", "", None, False, (0, 3)),
        filters_for("", "inclusive_club", "learning-disability", AGE_BANDS[3], False, (1, 1)),
        filters_for("", "", "", None, None, (26, 12)),  # the search of 800 days ago
    ]:
        assert_same_live_and_counted(filters)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    council=st.sampled_from(COUNCILS),
    kind=st.sampled_from(KINDS),
    need=st.sampled_from(NEEDS),
    band=st.sampled_from(BANDS),
    rural=st.sampled_from([None, True, False]),
    months=st.one_of(st.none(), st.tuples(st.integers(0, 3), st.integers(1, 4))),
)
def test_every_figure_is_the_same_counted_daily_as_live_for_any_filters(
    varied, council, kind, need, band, rural, months
):
    if not Refresh.objects.exists():
        refresh_figures()
    assert_same_live_and_counted(filters_for(council, kind, need, band, rural, months))


def test_the_dashboard_reads_the_daily_count_and_says_when_it_was_counted(
    client, moderator, everything
):
    refresh_figures()
    # A search made after the count is not in the figures until the next one.
    demand_row(local_authority_code=DURHAM)
    sign_in(client, moderator)
    response = client.get(DASHBOARD)
    found = tables(response)
    html = response.content.decode()
    counted = Refresh.objects.get()
    assert rows(found["demand-out-of-area"]) == {"County Durham": [1, 1, 0]}
    assert rows(found["brokerage"])["Had a first offer sent to a provider"] == [2, 1.5]
    assert rows(found["brokerage-outcomes"])["Matched"] == [1, 6]
    assert rows(found["supply-kind"])["All kinds"][0] == 5
    assert [sum(row[i] for row in found["trends"].rows) for i in range(1, 5)] == [7, 3, 1, 5]
    local = counted.counted_at.astimezone(datetime.UTC)
    assert f"Figures as at {local:%-d %B %Y}" in html
    # supply, demand, brokerage, trends, reach and views
    assert html.count("(the daily count).") == 6
    assert "(counted as the page was made)." not in html
    body = csv_rows(downloaded(client.get(DASHBOARD, {"download": "demand-council.csv"})))
    assert body[-1][0].startswith(f"Figures as at {local:%-d %B %Y}")
    assert body[1] == ["Newcastle upon Tyne", "fewer than 5", "fewer than 5", "0"]

    call_command("refresh_sufficiency", verbosity=0)
    found = tables(client.get(DASHBOARD))
    assert rows(found["demand-out-of-area"]) == {"County Durham": [2, 2, 0]}


def test_a_new_count_replaces_the_last_one(everything):
    refresh_figures()
    first = UnmetCount.objects.count()
    refresh_figures()
    assert UnmetCount.objects.count() == first
    assert Refresh.objects.count() == 2  # the history of counts, the latest read


def test_council_staff_can_ask_for_a_count_which_the_task_worker_runs(client, moderator, listings):
    sign_in(client, moderator)
    assert "Refresh now" in client.get(DASHBOARD).content.decode()
    response = client.post(f"{DASHBOARD}refresh/", follow=True)
    assert "being counted again" in response.content.decode()
    assert Refresh.objects.get().requested_by == "moderator"
    assert client.get(f"{DASHBOARD}refresh/").status_code == 405


def test_nobody_else_can_ask_for_a_count(client, broker, listings):
    sign_in(client, broker)
    assert_denied(client.post(f"{DASHBOARD}refresh/"))
    assert not Refresh.objects.exists()


def test_a_median_is_read_from_a_histogram_of_whole_hours():
    assert median_of({}) is None
    assert median_of({24: 1, 48: 1}) == 36  # 1 day and 2 days: 1.5 days
    assert median_of({5: 3}) == 5
    assert median_of({1: 1, 2: 1, 9: 1}) == 2
    assert median_of({1: 2, 2: 1, 9: 1}) == 1.5


def test_a_request_answered_within_the_hour_counts_as_no_hours(everything):
    from sufficiency.demand import hours_between

    assert hours_between(at(3), at(3, 0.04)) == 0  # 57.6 minutes
    assert hours_between(at(3), at(3, 1)) == 24


def test_reach_is_read_from_the_daily_count_until_the_next(client, moderator, everything):
    refresh_figures()
    sign_in(client, moderator)
    before = tables(client.get(DASHBOARD))["reach-wards"]
    everything["club"].unpublish()  # a change after the count shows at the next count
    assert tables(client.get(DASHBOARD))["reach-wards"].rows == before.rows
    refresh_figures()
    after = tables(client.get(DASHBOARD))["reach-wards"]
    assert after.rows != before.rows
    assert shown(reach_tables(filters_for("", "", "", None, None, None), False)) == shown(
        reach_tables(filters_for("", "", "", None, None, None), True)
    )


def test_a_council_nobody_served_at_the_count_has_its_wards_counted_as_the_page_is_made(
    client, moderator, varied
):
    refresh_figures()
    filters = filters_for(DURHAM, "", "", None, None, None)
    counted, live = reach_tables(filters, True), reach_tables(filters, False)
    assert counted[0].rows and shown(counted) == shown(live)
    assert counted[0].counted_now
    sign_in(client, moderator)
    html = client.get(DASHBOARD, {"council": DURHAM}).content.decode()
    assert html.count("(counted as the page was made).") == 1  # reach for Durham


def test_the_councils_served_are_those_of_the_count_until_the_next(everything):
    refresh_figures()
    # A listing moves to County Durham after the count: until the next count, Durham's searches
    # stay with those from outside the councils served, as every other figure stays as counted.
    listing = ListingPage.objects.live().filter(local_authority_code=NORTHUMBERLAND).first()
    ListingPage.objects.filter(pk=listing.pk).update(local_authority_code=DURHAM)
    filters = filters_for("", "", "", None, None, None)

    def out_of_area(stored):
        return rows(next(t for t in unmet_tables(filters, stored) if t.id == "demand-out-of-area"))

    assert "County Durham" in out_of_area(True)
    assert "County Durham" not in out_of_area(False)
    refresh_figures()
    assert "County Durham" not in out_of_area(True)
    # A count made before the councils served were kept reads them as they are now.
    ListingPage.objects.filter(pk=listing.pk).update(local_authority_code=NORTHUMBERLAND)
    Refresh.objects.update(served=None)
    assert "County Durham" in out_of_area(True)
