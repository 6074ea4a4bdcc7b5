"""Search backends behind one interface. Views call `run(query)` and never ask which answered."""

from django.conf import settings

from ..query import SearchQuery, SearchResults


def get_backend():
    from .embedded import EmbeddedBackend

    return EmbeddedBackend()


def run(query: SearchQuery) -> SearchResults:
    """The engine when configured (falling back to the database if it cannot answer),
    otherwise the database."""
    if settings.SEARCH_BACKEND == "engine":
        from .engine import search_with_fallback

        return search_with_fallback(query)
    return get_backend().search(query)
