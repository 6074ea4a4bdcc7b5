"""A slow search engine (answering, but late) costs a family at most its budget (a second by
default, half a second here): then they are answered from the database, a warning is logged,
and for a while searches do not wait for the engine at all. Listing changes the engine could
not take meanwhile reach it afterwards.

The engine is made slow by a proxy on the loopback address, started by the test, that holds
every packet before passing it on to a real (in-memory) engine."""

import logging
import socket
import threading
import time

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from osmem_server import OsmemServer

from search.backends.engine import search_with_fallback
from search.indexing import rebuild
from search.places import place_from_postcode
from search.query import SearchQuery
from tests.factories.directory import ShortBreakServicePageFactory
from tests.helpers import postcode_in, run_task_worker

pytestmark = pytest.mark.django_db


class SlowProxy:
    """Passes TCP traffic to `upstream`, holding each chunk for `delay` seconds."""

    def __init__(self, upstream: str):
        host, port = upstream.rsplit("//", 1)[1].rstrip("/").rsplit(":", 1)
        self.upstream = (host, int(port))
        self.delay = 0.0
        self.requests = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            threading.Thread(target=self.pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self.pump, args=(server, client, False), daemon=True).start()

    def pump(self, source, target, asking):
        try:
            while data := source.recv(65536):
                if asking:
                    self.requests += 1
                    time.sleep(self.delay)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        self.listener.close()


@pytest.fixture
def engine():
    server = OsmemServer.start(freeze=False, japanese=False)
    proxy = SlowProxy(server.url)
    yield server, proxy
    proxy.close()
    server.close()


@pytest.fixture
def query(org_a):
    ShortBreakServicePageFactory(
        organisation=org_a, title="Quayside", postcode=postcode_in("NE1 4")
    )
    return SearchQuery(place=place_from_postcode(postcode_in("NE1 4"))[0], radius_miles=3)


def engine_at(url: str, **options):
    return override_settings(
        SEARCH_ENGINE={"KIND": "opensearch", "URL": url, "TIMEOUT": 5, **options},
        SEARCH_INDEX_PREFIX="slow-",
    )


def timed_search(query):
    started = time.monotonic()
    results = search_with_fallback(query)
    return results, time.monotonic() - started


def test_a_slow_engine_gets_half_a_second_then_the_family_is_answered_from_the_database(
    engine, query, caplog
):
    server, proxy = engine
    with engine_at(server.url):
        rebuild()
    proxy.delay = 1.0  # each call answered in a second: three calls would take three
    with engine_at(proxy.url, BUDGET=0.5), caplog.at_level(logging.WARNING):
        results, seconds = timed_search(query)
    assert results.backend == "embedded"
    assert [m.title for m in results.matches] == ["Quayside"]
    assert seconds < 1.5, seconds
    [warning] = [r for r in caplog.records if r.name == "search.backends.engine"]
    assert "answering from the database instead for 30 s" in warning.getMessage()


def test_after_a_slow_answer_searches_skip_the_engine_for_a_while_then_use_it_again(
    engine, query, caplog
):
    server, proxy = engine
    with engine_at(server.url):
        rebuild()
    proxy.delay = 1.0
    with engine_at(proxy.url, BUDGET=0.3, RETRY_AFTER=2):
        assert timed_search(query)[0].backend == "embedded"
        asked = proxy.requests
        results, seconds = timed_search(query)
        assert results.backend == "embedded" and [m.title for m in results.matches] == ["Quayside"]
        assert proxy.requests == asked  # the engine was not asked at all
        assert seconds < 1.0, seconds
        proxy.delay = 0.0
        time.sleep(2.1)
        with caplog.at_level(logging.WARNING):
            assert timed_search(query)[0].backend == "engine"
    assert any("answering again" in r.getMessage() for r in caplog.records)


def test_changes_the_slow_engine_could_not_take_reach_the_index_afterwards(
    engine, query, org_a, caplog
):
    server, proxy = engine
    with engine_at(server.url):
        rebuild()
    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    new = ShortBreakServicePageFactory(
        organisation=org_a, title="Ouseburn", postcode=postcode_in("NE1 4")
    )
    from search.tasks import reindex_listing

    proxy.delay = 1.0
    with engine_at(proxy.url, TIMEOUT=0.3), override_settings(TASKS=tasks):
        reindex_listing.enqueue(listing_id=new.pk)
        with caplog.at_level(logging.WARNING):
            run_task_worker()
        assert "trying again later" in caplog.text
        [retry] = DBTaskResult.objects.filter(status="READY")  # not due yet
        assert retry.run_after > timezone.now()
        assert retry.args_kwargs["kwargs"] == {"listing_id": new.pk, "attempt": 1}
        proxy.delay = 0.0
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())  # later
        run_task_worker()
        assert not DBTaskResult.objects.filter(status="READY").exists()
    with engine_at(server.url):
        from search.engine_client import get_client
        from search.indexing import alias_name

        get_client().refresh(alias_name())
        results = search_with_fallback(query)
    assert results.backend == "engine"
    assert sorted(m.title for m in results.matches) == ["Ouseburn", "Quayside"]
