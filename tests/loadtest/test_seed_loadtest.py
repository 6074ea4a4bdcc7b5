"""`manage.py seed_loadtest`: the load test's database topped up to a number of listings, and
nothing added when it is run again."""

from io import StringIO

import pytest
from django.core.management import call_command

from directory.models import ListingPage

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_loadtest", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo_data(directory):
    call_command("seed_demo", seed=3, listings=12, stdout=StringIO())


def test_listings_are_topped_up_to_the_number_asked_once(directory):
    assert "Added 40 listings" in seed(listings=40)
    assert ListingPage.objects.count() == 40
    assert "has 40 listings or more already" in seed(listings=40)
    assert ListingPage.objects.count() == 40
    seed(listings=55)
    assert ListingPage.objects.count() == 55
    # The gazetteer holds the NE alone (as the load test's does): every listing is there.
    districts = set(ListingPage.objects.values_list("postcode_district", flat=True))
    assert districts and all(district.startswith("NE") for district in districts)


def test_no_listings_asked_adds_none(demo_data):
    before = ListingPage.objects.count()
    seed(listings=0)
    assert ListingPage.objects.count() == before
