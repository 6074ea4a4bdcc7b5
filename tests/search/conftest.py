"""The search engine for tests: osmem-server (the OpenSearch REST API, in memory), started once
per session on a free local port; each xdist worker gets its own index prefix."""

import pytest
from django.test import override_settings
from osmem_server import OsmemServer

from search.indexing import drop_index


@pytest.fixture(scope="session")
def engine_server():
    server = OsmemServer.start(freeze=False, japanese=False)
    yield server
    server.close()


@pytest.fixture
def engine_settings(request, engine_server, worker_id):
    """Point the engine backend at the session's server, with an index per test worker."""
    with override_settings(
        SEARCH_ENGINE={"KIND": "opensearch", "URL": engine_server.url, "TIMEOUT": 10},
        SEARCH_INDEX_PREFIX=f"test-{worker_id}-",
    ):
        yield engine_server
        drop_index()
