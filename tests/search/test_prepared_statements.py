"""On PostgreSQL, search's own statements are prepared on the server once they have run a few
times on a connection (`prepare_threshold` in config/settings/base.py): PostgreSQL then stops
parsing and planning them for every search. Django's own queries are never prepared. Prepared
or not, a family gets the same answer.

SQLite keeps its own cache of prepared statements, so the database tests here run on
PostgreSQL only; the settings test runs everywhere."""

import runpy
from dataclasses import asdict
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import ListingPage
from search.backends.embedded import EmbeddedBackend
from search.places import place_from_postcode
from search.query import Filters, Mode, SearchQuery
from tests.factories.directory import (
    InclusiveClubPageFactory,
    PersonalAssistantPageFactory,
    ShortBreakServicePageFactory,
)
from tests.helpers import postcode_in

RUNS = 8  # more than the five runs after which a statement is prepared


@pytest.fixture
def server():
    """The raw PostgreSQL connection, with no statement prepared on it yet."""
    if connection.vendor != "postgresql":
        pytest.skip("server-side prepared statements are PostgreSQL's")
    connection.ensure_connection()
    raw = connection.connection
    threshold = raw.prepare_threshold
    raw.execute("DEALLOCATE ALL")  # psycopg forgets its own record of them too
    yield raw
    raw.prepare_threshold = threshold


def prepared(raw) -> list[str]:
    return [row[0] for row in raw.execute("SELECT statement FROM pg_prepared_statements")]


@pytest.fixture
def directory_near_newcastle(org_a):
    for title, sector in (("Quayside", "NE1 3"), ("Far", "NE46 3")):
        ShortBreakServicePageFactory(organisation=org_a, title=title, postcode=postcode_in(sector))
    InclusiveClubPageFactory(organisation=org_a, title="Grainger", postcode=postcode_in("NE1 4"))
    hexham = postcode_in("NE46 1")
    for radius in (2, 10, 30):
        PersonalAssistantPageFactory(
            title=f"PA travelling {radius}", postcode=hexham, travel_radius_miles=radius
        )


def queries() -> list[SearchQuery]:
    city = place_from_postcode(postcode_in("NE1 4"))[0]
    village = place_from_postcode(postcode_in("NE48 2"))[0]
    return [
        SearchQuery(place=city),
        SearchQuery(place=city, mode=Mode.GO, filters=Filters(needs=("autism",), age=10)),
        SearchQuery(place=village),  # widens
        SearchQuery(place=village, filters=Filters(funding=("direct-payment",), days=(6,))),
        SearchQuery(place=city, text="club"),
    ]


def answer(query: SearchQuery) -> dict:
    data = asdict(EmbeddedBackend().search(query))
    for match in data["matches"]:
        match.pop("listing")
    return data


@pytest.mark.django_db
def test_search_statements_are_prepared_after_a_few_runs_and_give_the_same_answers(
    server, directory_near_newcastle
):
    asked = queries()
    server.prepare_threshold = None  # the answers as Django's ordinary queries give them
    expected = [answer(query) for query in asked]
    assert prepared(server) == []
    assert expected[0]["total"] and expected[2]["tried_radii"][1:]  # found some, and widened
    server.prepare_threshold = 5
    for _ in range(RUNS):
        assert [answer(query) for query in asked] == expected
    statements = prepared(server)
    assert any("UNION ALL" in sql and "at_venue" in sql for sql in statements)  # where
    assert any("p.title" in sql for sql in statements)  # what
    assert any("GROUP BY" in sql for sql in statements)  # facet counts


@pytest.mark.django_db
def test_with_prepared_statements_turned_off_nothing_is_prepared(server, directory_near_newcastle):
    server.prepare_threshold = None  # POSTGRES_PREPARED_STATEMENTS=off
    query = queries()[0]
    first = answer(query)
    for _ in range(RUNS):
        assert answer(query) == first
    assert prepared(server) == []


@pytest.mark.django_db
def test_while_queries_are_logged_they_run_unprepared_with_their_sql_recorded(
    server, directory_near_newcastle
):
    server.prepare_threshold = 5
    query = queries()[0]
    with CaptureQueriesContext(connection) as logged:  # as with DEBUG on
        for _ in range(RUNS):
            answer(query)
    assert prepared(server) == []
    assert logged.captured_queries
    assert all(entry["sql"] for entry in logged.captured_queries)


@pytest.mark.django_db
def test_djangos_own_queries_are_never_prepared(server, directory_near_newcastle):
    server.prepare_threshold = 5
    for _ in range(RUNS):
        assert ListingPage.objects.filter(title="Quayside").count() == 1
    assert prepared(server) == []


@pytest.mark.parametrize(
    ("setting", "threshold"), [(None, 5), ("on", 5), ("off", None), ("0", None)]
)
def test_postgres_prepared_statements_setting_controls_the_connection_option(
    monkeypatch, setting, threshold
):
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/any")
    if setting is None:
        monkeypatch.delenv("POSTGRES_PREPARED_STATEMENTS", raising=False)
    else:
        monkeypatch.setenv("POSTGRES_PREPARED_STATEMENTS", setting)
    base = Path(settings.BASE_DIR) / "config" / "settings" / "base.py"
    options = runpy.run_path(str(base))["DATABASES"]["default"]["OPTIONS"]
    assert options.get("prepare_threshold") == threshold
    assert "jit=off" in options["options"]
