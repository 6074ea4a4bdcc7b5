"""Settings choose the search backend by the import path of its class, as Wagtail's search
does; views and matching never ask which one answers."""

from django.test import override_settings

from search.backends import get_backend
from search.backends.embedded import EmbeddedBackend
from search.backends.engine import EngineBackend


def test_the_database_answers_searches_by_default():
    backend = get_backend()
    assert type(backend) is EmbeddedBackend
    assert backend.keeps_index is False


def test_the_engine_is_chosen_by_its_import_path_with_the_database_to_fall_back_on():
    engine = {
        "BACKEND": "search.backends.engine.EngineBackend",
        "FALLBACK": "search.backends.embedded.EmbeddedBackend",
    }
    with override_settings(SEARCH_BACKENDS={"default": engine}):
        backend = get_backend()
    assert type(backend) is EngineBackend
    assert type(backend.fallback) is EmbeddedBackend
    assert backend.keeps_index is True


def test_each_search_gets_a_backend_of_its_own():
    assert get_backend() is not get_backend()
