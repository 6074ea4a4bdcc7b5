"""Issue 13, as families found it: at NE48 2AA (Bellingham), TD15 1AA (Berwick) and NE1 4ST
(Newcastle), nearest first puts the nearest by real distance on page one, in order; services
that come only because they cover the whole county are listed apart without a distance; and
the count at the top says what is really within the radius.

Each family's directory reproduces what they saw: clubs half a mile and 0.7 miles away, a PA
based in Fenham (about 35 miles from Bellingham) who travels anywhere in the county, county
services based in Newcastle, and venues and PAs across the area. Real distances are geopy's
geodesic distances from the family to where each listing is searched from (a venue, or a
person's district centre). Both backends answer (the `backend` fixture)."""

import functools
import re

import pytest
from geopy.distance import geodesic

from directory.models import ListingPage
from gazetteer.management.commands.load_gazetteer import english_rows
from gazetteer.models import LocalAuthority, Postcode
from search.places import place_from_postcode
from search.query import Mode, SearchQuery
from tests.factories.directory import (
    InclusiveClubPageFactory,
    PersonalAssistantPageFactory,
    ShortBreakServicePageFactory,
)
from tests.helpers import postcode_in

from .test_nearest_first import result_item

pytestmark = pytest.mark.django_db

NORTHUMBERLAND = "E06000057"
FAMILIES = ["NE48 2AA", "TD15 1AA", "NE1 4ST"]


@functools.cache
def berwick_postcodes() -> tuple:
    """The English TD postcodes (Berwick-upon-Tweed and the border), read once per run: the
    test gazetteer holds the NE area only."""
    return tuple(english_rows({"TD"}))


@pytest.fixture
def with_berwick():
    Postcode.objects.bulk_create(
        Postcode(
            postcode=p, outcode=o, sector=s, latitude=lat, longitude=lon, local_authority_code=la
        )
        for p, o, s, lat, lon, la in berwick_postcodes()
    )


def postcode_about(family: str, miles: float) -> str:
    """The real postcode whose distance from `family` is nearest to `miles`."""
    home = Postcode.objects.get(postcode=family)
    box = miles / 40 + 0.01
    nearby = Postcode.objects.filter(
        latitude__range=(home.latitude - box, home.latitude + box),
        longitude__range=(home.longitude - 2 * box, home.longitude + 2 * box),
    )
    return min(
        nearby,
        key=lambda p: abs(
            geodesic((home.latitude, home.longitude), (p.latitude, p.longitude)).miles - miles
        ),
    ).postcode


def first_in(outcode: str) -> str:
    return Postcode.objects.filter(outcode=outcode).order_by("postcode")[0].postcode


@pytest.fixture
def issue_directory(with_berwick, org_a):
    """What the families saw, around each of them."""
    county = LocalAuthority.objects.get(code=NORTHUMBERLAND)
    for family in FAMILIES:
        for n, miles in enumerate((0.5, 0.7)):
            InclusiveClubPageFactory(
                organisation=org_a,
                title=f"Club {miles} miles from {family}",
                postcode=postcode_about(family, miles),
            )
        ShortBreakServicePageFactory(
            organisation=org_a,
            title=f"Scheme 2 miles from {family}",
            postcode=postcode_about(family, 2),
        )
    sectors = list(Postcode.objects.order_by("sector").values_list("sector", flat=True).distinct())
    for n, sector in enumerate(sectors[::60]):
        factory = InclusiveClubPageFactory if n % 2 else ShortBreakServicePageFactory
        factory(organisation=org_a, title=f"Venue in {sector}", postcode=postcode_in(sector))
    fenham = PersonalAssistantPageFactory(
        title="PA based in Fenham", postcode=first_in("NE4"), travel_radius_miles=60, dbs=True
    )
    fenham.served_local_authorities.add(county)
    fenham.save()
    for district in ("NE46", "NE48", "TD15", "NE1"):
        for n, space in enumerate((0, 2)):
            PersonalAssistantPageFactory(
                title=f"{'Full' if not space else 'Free'} PA in {district}",
                postcode=Postcode.objects.filter(outcode=district).order_by("postcode")[n].postcode,
                travel_radius_miles=30,
                capacity_now=space,
                dbs=True,
            )
    for name in ("County outreach team", "County sitting service"):
        service = ShortBreakServicePageFactory(
            organisation=org_a,
            title=name,
            postcode=postcode_in("NE1 3"),
            at_venue=False,
            comes_to_family=True,
            travel_radius_miles=5,
        )
        service.served_local_authorities.add(county)
        service.save()


def searched_from(listing_id: int) -> tuple[float, float]:
    return ListingPage.objects.values_list("latitude", "longitude").get(pk=listing_id)


def test_the_nearest_by_real_distance_are_on_page_one_in_order(backend, issue_directory):
    backend.index()
    for family in FAMILIES:
        place = place_from_postcode(family)[0]
        every = backend.search(SearchQuery(place=place, page_size=1000), reindex=False)
        page_one = backend.search(SearchQuery(place=place), reindex=False).matches
        at = (place.latitude, place.longitude)
        near = [m for m in every.matches if not m.area_only]
        real = {m.listing_id: geodesic(at, searched_from(m.listing_id)).miles for m in near}
        nearest = sorted(real, key=real.get)
        shown = [m.listing_id for m in page_one if m.listing_id in real]
        # The five nearest are page one's first five, in order (two listings within half a
        # per cent of each other, a sphere against the ellipsoid, may come either way round).
        assert set(nearest[:5]) <= set(shown[:5]), (
            family,
            [(m.title, round(real[m.listing_id], 1)) for m in near],
        )
        distances = [real[pk] for pk in shown]
        assert all(a <= b * 1.005 + 0.01 for a, b in zip(distances, distances[1:], strict=False))
        assert max(distances) <= real[nearest[min(19, len(nearest) - 1)]] * 1.005 + 0.01
        # What comes only because it covers the county is listed after everything near.
        assert all(m.area_only for m in every.matches[len(near) :])
        if family != "NE1 4ST":  # Newcastle is not in Northumberland
            assert {"County outreach team", "County sitting service"} <= {
                m.title for m in every.matches[len(near) :]
            }


def test_near_clubs_come_first_a_far_pa_takes_their_distance_and_full_pas_follow(
    backend, issue_directory
):
    """At Berwick the clubs half a mile and 0.7 miles away are first. The Fenham PA, who
    travels anywhere in Northumberland, ranks at the distance from their district's centre
    (about 27 miles from Bellingham), never first. A full PA follows one with space in their
    district."""
    backend.index()
    berwick = place_from_postcode("TD15 1AA")[0]
    titles = [m.title for m in backend.search(SearchQuery(place=berwick), reindex=False).matches]
    assert titles[:2] == ["Club 0.5 miles from TD15 1AA", "Club 0.7 miles from TD15 1AA"]

    bellingham = place_from_postcode("NE48 2AA")[0]
    every = backend.search(SearchQuery(place=bellingham, page_size=1000), reindex=False).matches
    titles = [m.title for m in every]
    at = titles.index("PA based in Fenham")
    fenham = every[at]
    assert fenham.miles > 20 and not fenham.area_only and at >= 5
    assert all(m.miles <= fenham.miles for m in every[:at])
    for district in ("NE46", "NE48"):
        assert titles.index(f"Free PA in {district}") < titles.index(f"Full PA in {district}")
    berwick_all = backend.search(SearchQuery(place=berwick, page_size=1000), reindex=False)
    titles = [m.title for m in berwick_all.matches]
    assert titles.index("Free PA in TD15") < titles.index("Full PA in TD15")


def test_the_count_says_what_is_within_the_radius_and_what_covers_the_county(
    backend, issue_directory
):
    place = place_from_postcode("NE48 2AA")[0]
    results = backend.search(SearchQuery(place=place, page_size=1000))
    at = (place.latitude, place.longitude)
    within = results.radius_miles
    venues = ListingPage.objects.filter(at_venue=True).values_list("latitude", "longitude")
    real = [geodesic(at, venue).miles for venue in venues]
    assert sum(m <= within * 0.995 for m in real) <= results.places
    assert results.places <= sum(m <= within * 1.005 for m in real)
    assert results.places == sum(m.in_radius for m in results.matches)
    assert results.area_wide == sum(m.area_only for m in results.matches) >= 2
    assert results.places + results.travelling + results.area_wide == results.total
    assert results.message == (
        f"Showing {results.places} place{'s' if results.places != 1 else ''} within "
        f"{within:g} miles, {results.travelling} people and services who travel as far as you "
        f"and {results.area_wide} services covering all of Northumberland."
    )


def test_a_service_whose_travel_does_not_reach_the_family_is_not_counted_near(backend, org_a):
    """Based in Newcastle, travelling five miles, covering Northumberland: at Bellingham it is
    one of the county's services, not a result within the radius."""
    service = ShortBreakServicePageFactory(
        organisation=org_a,
        title="Sitting service",
        postcode=postcode_in("NE1 3"),
        at_venue=False,
        comes_to_family=True,
        travel_radius_miles=5,
    )
    service.served_local_authorities.add(LocalAuthority.objects.get(code=NORTHUMBERLAND))
    service.save()
    PersonalAssistantPageFactory(
        title="PA who stays local", postcode=first_in("NE4"), travel_radius_miles=5, dbs=True
    )
    place = place_from_postcode(postcode_in("NE48 2"))[0]
    results = backend.search(SearchQuery(place=place, mode=Mode.COME))
    assert [m.title for m in results.matches] == ["Sitting service"]
    assert results.matches[0].area_only
    assert (results.places, results.travelling, results.area_wide) == (0, 0, 1)
    assert "within" not in results.message
    assert "1 service covering all of Northumberland" in results.message


def test_the_page_lists_county_services_apart_and_says_every_distance_with_its_unit(
    client, issue_directory
):
    content = client.get("/search/", {"postcode": "TD15 1AA"}).content.decode()
    club = result_item(content, "Club 0.5 miles from TD15 1AA")
    assert "<strong>You travel about 0.5 miles</strong>" in club
    assert "You travel about 0.5 miles to get there" in club
    scheme = result_item(content, "Scheme 2 miles from TD15 1AA")
    assert re.search(r"<strong>You travel 2 miles</strong>", scheme), scheme
    heading = content.index("Services that cover all of Northumberland</h2>")
    county = result_item(content, "County outreach team")
    assert content.index(county) > heading
    assert "<strong>Covers all of Northumberland</strong>" in county
    assert "Comes to families anywhere in Northumberland" in county
    for item in re.findall(r'<li class="app-result.*?</form>', content, flags=re.S):
        # Every number of miles has its unit, in the singular for one.
        assert not re.search(r"\b(you are|is|travel) \d+(\.\d)?(?! miles?)\b", item), item
        assert not re.search(r"\b1 miles\b|\b(?<!\.)0\.\d mile\b", item), item
    assert re.search(r"Showing \d+ places? within \d+ miles, ", content)
