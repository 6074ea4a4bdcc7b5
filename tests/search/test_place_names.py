"""Place names work only where the council turns online geocoding on; postcodes always work
offline. Tests replace the geocoder: they never use the network."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from directory.factories import ShortBreakServicePageFactory
from search import geocoding
from search.models import Postcode

pytestmark = pytest.mark.django_db


class FakeGeocoder:
    def __init__(self, answers, fail=False):
        self.answers, self.fail, self.calls = answers, fail, 0

    def geocode(self, text):
        self.calls += 1
        if self.fail:
            raise TimeoutError("no answer")
        return self.answers.get(text)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def bellingham():
    row = Postcode.objects.filter(sector="NE48 2").order_by("postcode").first()
    return geocoding.Found(row.latitude, row.longitude, "Bellingham")


def test_with_online_geocoding_off_a_place_name_asks_for_a_postcode(client, directory):
    response = client.get("/search/", {"postcode": "Bellingham"})
    assert "Enter a full postcode in the right format" in response.content.decode()


@override_settings(SEARCH_ONLINE_GEOCODER=True)
def test_with_online_geocoding_on_a_village_name_finds_services_and_is_cached(
    client, org_a, bellingham, monkeypatch
):
    fake = FakeGeocoder({"Bellingham": bellingham})
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: fake)
    hexham = Postcode.objects.filter(sector="NE46 3").order_by("postcode").first().postcode
    ShortBreakServicePageFactory(organisation=org_a, title="Hexham scheme", postcode=hexham)
    content = client.get("/search/", {"postcode": "Bellingham"}).content.decode()
    assert "Hexham scheme" in content
    assert "near NE48" in content
    client.get("/search/", {"postcode": "bellingham "})
    assert fake.calls == 1  # the second search was answered from the cache


@override_settings(SEARCH_ONLINE_GEOCODER=True)
def test_a_failing_geocoder_is_a_clear_message_and_a_warning_not_an_error(
    client, directory, monkeypatch, caplog
):
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: FakeGeocoder({}, fail=True))
    response = client.get("/search/", {"postcode": "Bellingham"})
    assert response.status_code == 200
    assert "Enter a full postcode in the right format" in response.content.decode()
    assert "Online geocoder failed (TimeoutError)" in caplog.text


@override_settings(SEARCH_ONLINE_GEOCODER=True)
def test_a_place_outside_england_is_not_searched(client, directory, monkeypatch):
    edinburgh = geocoding.Found(55.9533, -3.1883, "Edinburgh")
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: FakeGeocoder({"Edinburgh": edinburgh}))
    response = client.get("/search/", {"postcode": "Edinburgh"})
    assert "govuk-error-summary" in response.content.decode()
