"""Fixtures for the search tests: each backend, searched the same way."""

import pytest

from search.backends.embedded import EmbeddedBackend
from search.backends.engine import EngineBackend
from search.indexing import rebuild
from search.query import SearchQuery


class Backend:
    """Searches one backend; the engine's index is rebuilt from the database first."""

    def __init__(self, name: str):
        self.name = name

    def index(self):
        if self.name == "engine":
            rebuild()

    def search(self, query: SearchQuery, reindex: bool = True):
        if self.name == "embedded":
            return EmbeddedBackend().search(query)
        if reindex:
            self.index()
        return EngineBackend().search(query)


@pytest.fixture(params=["embedded", "engine"])
def backend(request):
    if request.param == "engine":
        request.getfixturevalue("engine_settings")
    return Backend(request.param)
