"""If the search engine is down, families still get their results, from the database."""

import logging
import socket

import pytest
from django.core.management import call_command
from django.test import override_settings
from osmem_server import OsmemServer

from search.backends.engine import search_with_fallback
from search.indexing import rebuild
from search.places import place_from_postcode
from search.query import SearchQuery
from tests.factories.directory import ShortBreakServicePageFactory
from tests.helpers import postcode_in

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def query(org_a):
    ShortBreakServicePageFactory(
        organisation=org_a, title="Quayside", postcode=postcode_in("NE1 4")
    )
    return SearchQuery(place=place_from_postcode(postcode_in("NE1 4"))[0], radius_miles=3)


def engine(url: str):
    return override_settings(
        SEARCH_ENGINE={"KIND": "opensearch", "URL": url, "TIMEOUT": 5},
        SEARCH_INDEX_PREFIX="resilience-",
    )


def test_an_unreachable_engine_falls_back_to_the_database_with_a_warning(query, caplog):
    with engine(f"http://127.0.0.1:{closed_port()}"), caplog.at_level(logging.WARNING):
        results = search_with_fallback(query)
    assert results.backend == "embedded"
    assert [m.title for m in results.matches] == ["Quayside"]
    (record,) = [r for r in caplog.records if r.name == "search.backends.engine"]
    assert record.levelno == logging.WARNING
    assert "answering from the database" in record.getMessage()


def test_an_engine_that_stops_mid_session_falls_back_and_the_family_sees_no_error(query, caplog):
    server = OsmemServer.start(freeze=False, japanese=False)
    try:
        with engine(server.url):
            rebuild()
            assert search_with_fallback(query).backend == "engine"
            server.close()
            with caplog.at_level(logging.WARNING):
                results = search_with_fallback(query)
    finally:
        server.close()
    assert results.backend == "embedded"
    assert [m.title for m in results.matches] == ["Quayside"]
    assert any("answering from the database" in r.getMessage() for r in caplog.records)


def test_a_missing_index_or_missing_settings_fall_back_too(query, caplog):
    server = OsmemServer.start(freeze=False, japanese=False)
    try:
        with engine(server.url), caplog.at_level(logging.WARNING):
            assert search_with_fallback(query).backend == "embedded"  # never rebuilt
        with override_settings(SEARCH_ENGINE={}), caplog.at_level(logging.WARNING):
            assert search_with_fallback(query).backend == "embedded"
    finally:
        server.close()
    assert len([r for r in caplog.records if r.name == "search.backends.engine"]) == 2


def test_the_rebuild_command_reports_progress(query):
    from io import StringIO

    server = OsmemServer.start(freeze=False, japanese=False)
    out = StringIO()
    try:
        with engine(server.url):
            call_command("rebuild_search_index", stdout=out)
            assert search_with_fallback(query).backend == "engine"
    finally:
        server.close()
    assert "1/1 listings" in out.getvalue()
    assert "Indexed 1 listings into resilience-listings" in out.getvalue()
