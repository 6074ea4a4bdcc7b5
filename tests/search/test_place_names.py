"""Families can search by town or village name offline: the wards of OS Code-Point Open,
loaded with the gazetteer (NE for tests). A name that is not a ward goes to the online geocoder
only where the council turns it on. Tests replace the geocoder: they never use the network."""

import html
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from gazetteer.models import PlaceName, Postcode
from gazetteer.names import place_key
from search import geocoding
from search.models import UnmetDemand
from search.places import find_places
from tests.factories.directory import ShortBreakServicePageFactory

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


def test_with_online_geocoding_off_an_unknown_place_name_is_a_clear_message(client, directory):
    response = client.get("/search/", {"postcode": "Kielder"})  # a village, not a ward
    assert response.status_code == 200
    content = html.unescape(response.content.decode())
    assert "govuk-error-summary" in content
    assert (
        "We could not find a place called Kielder. Enter a postcode, like NE46 3NR, "
        "or the name of a town or village"
    ) in content


@override_settings(SEARCH_ONLINE_GEOCODER=True)
def test_with_online_geocoding_on_a_village_name_finds_services_and_is_cached(
    client, org_a, bellingham, monkeypatch
):
    fake = FakeGeocoder({"Kielder": bellingham})
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: fake)
    hexham = Postcode.objects.filter(sector="NE46 3").order_by("postcode").first().postcode
    ShortBreakServicePageFactory(organisation=org_a, title="Hexham scheme", postcode=hexham)
    content = client.get("/search/", {"postcode": "Kielder"}).content.decode()
    assert "Hexham scheme" in content
    assert "near NE48" in content
    client.get("/search/", {"postcode": "Kielder "})
    assert fake.calls == 1  # the second search was answered from the cache


@override_settings(SEARCH_ONLINE_GEOCODER=True)
def test_a_ward_name_is_found_offline_without_asking_the_online_geocoder(
    client, directory, monkeypatch
):
    fake = FakeGeocoder({})
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: fake)
    content = client.get("/search/", {"postcode": "Bellingham"}).content.decode()
    assert "near Bellingham (Northumberland)" in content
    assert fake.calls == 0


@override_settings(SEARCH_ONLINE_GEOCODER=True)
def test_a_failing_geocoder_is_a_clear_message_and_a_warning_not_an_error(
    client, directory, monkeypatch, caplog
):
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: FakeGeocoder({}, fail=True))
    response = client.get("/search/", {"postcode": "Kielder"})
    assert response.status_code == 200
    assert "We could not find a place called Kielder" in response.content.decode()
    assert "Online geocoder failed (TimeoutError)" in caplog.text


@override_settings(SEARCH_ONLINE_GEOCODER=True)
def test_a_place_outside_england_is_not_searched(client, directory, monkeypatch):
    edinburgh = geocoding.Found(55.9533, -3.1883, "Edinburgh")
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: FakeGeocoder({"Edinburgh": edinburgh}))
    response = client.get("/search/", {"postcode": "Edinburgh"})
    assert "govuk-error-summary" in response.content.decode()


# --- Offline place names ------------------------------------------------------------------


def choice_links(content: str) -> dict[str, str]:
    """The "more than one place" links: label -> query string."""
    section = content.split("We found more than one place called", 1)[1]
    return {
        html.unescape(label): html.unescape(href)
        for href, label in re.findall(
            r'<a class="govuk-link" href="\?([^"]+)">([^<]+)</a>', section
        )
    }


def test_the_ne_load_has_the_wards_the_tests_rely_on():
    names = set(PlaceName.objects.values_list("name", flat=True))
    assert {"Bellingham", "Haltwhistle", "Rothbury", "Wooler", "Hexham East"} <= names
    assert "Benwell & Scotswood" in names  # a city ward: a neighbourhood


def test_a_village_name_searches_from_the_centre_of_its_ward(client, org_a):
    hexham = Postcode.objects.filter(sector="NE46 3").order_by("postcode").first().postcode
    ShortBreakServicePageFactory(organisation=org_a, title="Hexham scheme", postcode=hexham)
    ward = PlaceName.objects.get(name="Bellingham")

    response = client.get("/search/", {"postcode": "Bellingham"})

    content = response.content.decode()
    assert "near Bellingham (Northumberland)" in content
    assert "Hexham scheme" in content
    assert "a rural area" in content
    assert "postcode density" in content  # a ward has no single LSOA
    place = response.context["place"]
    assert (place.latitude, place.longitude) == (ward.latitude, ward.longitude)
    assert place.local_authority_code == "E06000057"


def test_a_ward_is_placed_at_the_centre_of_its_live_postcodes():
    ward = PlaceName.objects.get(name="Haltwhistle")
    # The NE load holds all of Haltwhistle's postcodes (NE49), so the centre is within them.
    in_ne49 = Postcode.objects.filter(outcode="NE49")
    assert ward.outcode == "NE49"
    assert ward.postcodes > 100
    assert min(in_ne49.values_list("latitude", flat=True)) < ward.latitude
    assert ward.latitude < max(in_ne49.values_list("latitude", flat=True))
    assert min(in_ne49.values_list("longitude", flat=True)) < ward.longitude
    assert ward.longitude < max(in_ne49.values_list("longitude", flat=True))


@pytest.mark.parametrize("typed", ["haltwhistle", "HALTWHISTLE", "  Haltwhistle. ", "Haltwhistle!"])
def test_case_spaces_and_punctuation_do_not_matter(client, directory, typed):
    content = client.get("/search/", {"postcode": typed}).content.decode()
    assert "near Haltwhistle (Northumberland)" in content


@pytest.mark.parametrize(
    ("typed", "published"),
    [
        ("benwell and scotswood", "Benwell & Scotswood"),
        ("Saint Marys", "St. Mary's"),
        ("st marys", "St. Mary's"),
        ("Ryton Crookhill & Stella", "Ryton, Crookhill and Stella"),
    ],
)
def test_and_ampersand_saint_and_st_are_the_same(typed, published):
    assert place_key(typed) == place_key(published)
    assert [p.name for p in find_places(typed)] == [published]


def test_the_start_of_a_name_is_offered_as_a_choice_from_three_letters(client, directory):
    content = client.get("/search/", {"postcode": "Haltwh"}).content.decode()
    assert "Haltwhistle (Northumberland)" in content
    assert "near Haltwhistle" not in content  # asked, never assumed: "Leeds" is not Leeds & Langley
    assert "Did you mean this place?" in content
    chosen = PlaceName.objects.get(name="Haltwhistle")
    content = client.get("/search/", {"postcode": "Haltwh", "place": chosen.pk}).content.decode()
    assert "near Haltwhistle (Northumberland)" in content
    assert find_places("Ro") == []
    assert "Rothbury" in [p.name for p in find_places("Rot")]


def test_an_exact_name_wins_over_longer_names_starting_with_it():
    assert [p.name for p in find_places("Haydon")] == ["Haydon"]  # not "Haydon and Hadrian"


def test_places_come_most_postcodes_first_and_at_most_ten():
    found = find_places("Wa")  # too short for a prefix
    assert found == []
    found = find_places("Was")  # Washington Central, East, North, South, West
    assert len(found) == 5
    assert [p.postcodes for p in found] == sorted((p.postcodes for p in found), reverse=True)
    for n in range(12):
        PlaceName.objects.create(
            name=f"Testville {n}",
            key=f"testville {n}",
            ward_code=f"E0599{n:04d}",
            local_authority_code="E06000057",
            latitude=55,
            longitude=-2,
            postcodes=n,
            outcode="NE48",
        )
    found = find_places("Testville")
    assert len(found) == 10
    assert found[0].postcodes == 11


def test_several_places_are_offered_as_choices_and_choosing_one_searches_from_it(client, directory):
    response = client.get("/search/", {"postcode": "Hexham", "age": "9"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "We found more than one place called Hexham" in content
    assert "govuk-error-summary" not in content
    links = choice_links(content)
    assert set(links) == {
        "Hexham Central with Acomb (Northumberland)",
        "Hexham East (Northumberland)",
        "Hexham West (Northumberland)",
    }
    east = PlaceName.objects.get(name="Hexham East")
    assert f"place={east.pk}" in links["Hexham East (Northumberland)"]
    assert "age=9" in links["Hexham East (Northumberland)"]

    chosen = client.get(f"/search/?{links['Hexham East (Northumberland)']}")

    assert "near Hexham East (Northumberland)" in chosen.content.decode()
    assert chosen.context["place"].latitude == east.latitude


def test_wards_with_the_same_name_in_different_councils_are_different_places(client, directory):
    newcastle = PlaceName.objects.get(name="Castle", local_authority_code="E08000021")
    other = PlaceName.objects.create(
        name="Castle",
        key="castle",
        ward_code="E05999999",
        local_authority_code="E06000057",
        latitude=55.4,
        longitude=-1.7,
        postcodes=1,
        outcode="NE66",
    )

    links = choice_links(client.get("/search/", {"postcode": "castle"}).content.decode())

    assert set(links) == {"Castle (Newcastle upon Tyne)", "Castle (Northumberland)"}
    assert f"place={newcastle.pk}" in links["Castle (Newcastle upon Tyne)"]
    assert f"place={other.pk}" in links["Castle (Northumberland)"]


@pytest.mark.parametrize("place", ["banana", "-1", "99999999999999999999", "1' OR 1=1", ""])
def test_a_nonsense_place_parameter_is_ignored_never_an_error(client, directory, place):
    response = client.get("/search/", {"postcode": "Hexham", "place": place})
    assert response.status_code == 200
    assert "We found more than one place called Hexham" in response.content.decode()


def test_a_place_parameter_for_a_different_name_is_ignored(client, directory):
    bellingham = PlaceName.objects.get(name="Bellingham")
    response = client.get("/search/", {"postcode": "Hexham", "place": bellingham.pk})
    assert "We found more than one place called Hexham" in response.content.decode()
    response = client.get("/search/", {"postcode": "Bellingham", "place": "nonsense"})
    assert "near Bellingham (Northumberland)" in response.content.decode()


def test_a_postcode_keeps_its_own_messages(client, directory):
    def error(typed):
        return html.unescape(client.get("/search/", {"postcode": typed}).content.decode())

    assert "We could not find NE99 9ZZ" in error("NE99 9ZZ")
    assert "outside England" in error("EH1 1YZ")
    assert "Enter a full postcode in the right format" in error("NE46")  # half a postcode
    assert "We could not find a place called" not in error("NE99 9ZZ")


def test_a_search_by_place_name_records_unmet_demand_by_outcode_never_the_name(client, directory):
    client.get("/search/", {"postcode": "Bellingham", "age": "9"})

    (record,) = UnmetDemand.objects.all()
    assert record.outcode == "NE48"
    assert record.local_authority_code == "E06000057"
    assert record.rural is True
    stored = " ".join(str(v) for v in UnmetDemand.objects.values().first().values())
    assert "Bellingham" not in stored


def test_the_loader_builds_place_names_for_the_areas_loaded_only():
    # The session loaded NE: wards with no NE postcode (Berwick, Cumbria, London) are not there,
    # but a ward mostly in TD15 with a few NE postcodes is, with all its postcodes.
    assert not PlaceName.objects.filter(name__startswith="Berwick").exists()
    assert not PlaceName.objects.filter(outcode__regex=r"^(CA|SW)[0-9]").exists()
    assert not PlaceName.objects.filter(local_authority_code__startswith="E09").exists()
    assert PlaceName.objects.get(name="Norham and Islandshires").outcode == "TD15"
    wooler = PlaceName.objects.get(name="Wooler")  # NE71 and TD12
    ne_places = PlaceName.objects.count()

    call_command("load_gazetteer", areas=["TD"], verbosity=0)

    td = PlaceName.objects.filter(outcode__startswith="TD")
    assert {"Berwick North", "Berwick East"} <= set(td.values_list("name", flat=True))
    assert not PlaceName.objects.filter(local_authority_code__startswith="E09").exists()
    # A ward across two areas is the same place whichever area was loaded: all its postcodes.
    again = PlaceName.objects.get(name="Wooler")
    assert (again.postcodes, again.latitude, again.outcode) == (
        wooler.postcodes,
        wooler.latitude,
        wooler.outcode,
    )
    # Loading an area again replaces its places rather than adding them twice.
    count = PlaceName.objects.count()
    assert count > ne_places
    call_command("load_gazetteer", areas=["TD"], verbosity=0)
    assert PlaceName.objects.count() == count
