"""Benchmark listings written in bulk are real listings: in the page tree, served, searched."""

import pytest

from directory.bulk import create_listings
from directory.models import ListingPage, ListingStatus
from search import backends
from search.query import Place, SearchQuery

pytestmark = pytest.mark.django_db


def test_bulk_listings_are_live_pages_in_a_valid_tree_that_families_can_open(client, directory):
    made = create_listings(120, seed=3)
    assert made == 120
    assert ListingPage.objects.live().count() == 120
    assert ListingStatus.objects.count() == 120
    provider = ListingPage.objects.first().get_parent()
    assert provider.get_children().count() == provider.numchild == 120
    public = ListingPage.objects.in_directory().first()
    response = client.get(public.url)
    assert response.status_code == 200
    assert public.title in response.content.decode()


def test_bulk_listings_added_twice_extend_the_tree_rather_than_clash(directory):
    create_listings(30, seed=1)
    create_listings(30, seed=2)
    paths = list(ListingPage.objects.values_list("path", flat=True))
    assert len(paths) == len(set(paths)) == 60


def test_bulk_listings_are_found_by_search(directory):
    create_listings(200, seed=5)
    listing = ListingPage.objects.in_directory().filter(at_venue=True).first()
    place = Place(
        label=listing.postcode,
        latitude=listing.latitude,
        longitude=listing.longitude,
        local_authority_code=listing.local_authority_code,
        rural=False,
    )
    results = backends.run(SearchQuery(place=place, radius_miles=1, page_size=500))
    assert listing.pk in [m.listing_id for m in results.matches]
