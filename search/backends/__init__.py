"""Search backends behind one interface, chosen by settings as Wagtail's search chooses its own:

    SEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.engine.EngineBackend",  # import path of the class
            "FALLBACK": "search.backends.embedded.EmbeddedBackend",  # options, lower-cased
        },
    }

Every other key is passed to the class as a keyword argument, lower-cased. Each backend lives
in its own module and subclasses `base.RankingBackend`. Views call `run(query)` (through
`search.api`) and never ask which backend answered."""

from django.conf import settings
from django.utils.module_loading import import_string

from ..query import SearchQuery, SearchResults
from .base import RankingBackend

DEFAULT = "default"


def backend_config(alias: str = DEFAULT) -> dict:
    return dict(settings.SEARCH_BACKENDS[alias])


def backend_class(alias: str = DEFAULT) -> type[RankingBackend]:
    return import_string(backend_config(alias)["BACKEND"])


def get_backend(alias: str = DEFAULT) -> RankingBackend:
    """A new backend for one search (a backend keeps what it read for the search in hand)."""
    config = backend_config(alias)
    options = {key.lower(): value for key, value in config.items() if key != "BACKEND"}
    return import_string(config["BACKEND"])(**options)


def run(query: SearchQuery) -> SearchResults:
    return get_backend().search(query)
