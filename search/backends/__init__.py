"""Search backends behind one interface. Views call `run(query)` and never ask which answered."""

from ..query import SearchQuery, SearchResults


def get_backend():
    from .embedded import EmbeddedBackend

    return EmbeddedBackend()


def run(query: SearchQuery) -> SearchResults:
    return get_backend().search(query)
