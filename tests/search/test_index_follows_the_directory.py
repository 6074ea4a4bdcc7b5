"""With the engine on, the index follows publishing, unpublishing, deletion and safeguarding
changes, so families find what is in the directory now."""

import pytest
from django.conf import settings
from django.test import override_settings

from search.backends import run
from search.engine_client import get_client
from search.indexing import rebuild
from search.places import place_from_postcode
from search.query import SearchQuery
from tests.factories.directory import (
    DBSCheckFactory,
    ShortBreakServicePageFactory,
    StaffMemberFactory,
)
from tests.helpers import postcode_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def engine_on(engine_settings):
    engine = {
        "BACKEND": "search.backends.engine.EngineBackend",
        "FALLBACK": "search.backends.embedded.EmbeddedBackend",
    }
    with override_settings(SEARCH_BACKENDS={"default": engine}):
        rebuild()
        yield


def found(place):
    get_client().refresh(index_alias())
    return [m.title for m in run(SearchQuery(place=place, radius_miles=3)).matches]


def index_alias():
    return settings.SEARCH_INDEX_PREFIX + "listings"


@pytest.fixture
def city():
    return place_from_postcode(postcode_in("NE1 4"))[0]


def test_a_published_listing_is_found_and_an_unpublished_one_is_not(
    engine_on, city, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        listing = ShortBreakServicePageFactory(
            organisation=org_a, title="Quayside club", postcode=postcode_in("NE1 4")
        )
    assert found(city) == ["Quayside club"]
    with django_capture_on_commit_callbacks(execute=True):
        listing.unpublish()
    assert found(city) == []


def test_a_lapsed_dbs_check_takes_a_listing_out_of_the_engine_results(
    engine_on, city, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ShortBreakServicePageFactory(
            organisation=org_a, title="Quayside club", postcode=postcode_in("NE1 4")
        )
    assert found(city) == ["Quayside club"]
    with django_capture_on_commit_callbacks(execute=True):
        DBSCheckFactory(person=StaffMemberFactory(organisation=org_a), lapsed=True)
    assert found(city) == []


def test_a_deleted_listing_leaves_the_index(
    engine_on, city, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        listing = ShortBreakServicePageFactory(
            organisation=org_a, title="Quayside club", postcode=postcode_in("NE1 4")
        )
    with django_capture_on_commit_callbacks(execute=True):
        listing.delete()
    assert found(city) == []
