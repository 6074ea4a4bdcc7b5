"""Nearest first means nearest by real distance, for rural and urban families alike, and no
search, however often repeated, can place a person who works from home more exactly than the
postcode district their public page names.

Distances are checked with geopy's geodesic distance, independently of the backends' own
arithmetic. Both backends answer (the `backend` fixture)."""

import re

import pytest
from geopy.distance import geodesic

from directory.models import ListingPage
from gazetteer.lookup import district_centre
from gazetteer.models import LocalAuthority, Postcode
from search.api import run
from search.places import place_from_postcode
from search.query import SearchQuery, Sort
from tests.factories.directory import (
    InclusiveClubPageFactory,
    PersonalAssistantPageFactory,
    ShortBreakServicePageFactory,
)
from tests.helpers import postcode_in

pytestmark = pytest.mark.django_db

NORTHUMBERLAND = "E06000057"
# Where personal assistants are based: the city, its suburbs, market towns and the hills.
PA_DISTRICTS = ["NE1", "NE6", "NE46", "NE48", "NE61", "NE65", "NE66", "NE71"]
# Families: a village in the Tyne valley hills, a market town, and the city centre.
FAMILIES = {"Bellingham (rural)": "NE48 2", "Alnwick (rural)": "NE66 1", "Newcastle": "NE1 4"}


def every_nth_sector(step: int) -> list[str]:
    sectors = Postcode.objects.order_by("sector").values_list("sector", flat=True).distinct()
    return list(sectors)[::step]


@pytest.fixture
def directory_across_the_area(org_a):
    """About forty listings across the NE area: venues in many postcode sectors, personal
    assistants who travel far from their own districts, and two county-wide services based in
    Newcastle that cover all of Northumberland but travel only five miles from their base."""
    for n, sector in enumerate(every_nth_sector(9)[:26]):
        factory = InclusiveClubPageFactory if n % 2 else ShortBreakServicePageFactory
        factory(
            organisation=org_a, title=f"Venue {n:02d} in {sector}", postcode=postcode_in(sector)
        )
    for district in PA_DISTRICTS:
        PersonalAssistantPageFactory(
            title=f"PA based in {district}",
            postcode=Postcode.objects.filter(outcode=district).order_by("postcode")[0].postcode,
            travel_radius_miles=45,
            dbs=True,
        )
    county = LocalAuthority.objects.get(code=NORTHUMBERLAND)
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


def real_miles(place, listing_id: int) -> float:
    listing = ListingPage.objects.get(pk=listing_id)
    return geodesic((place.latitude, place.longitude), (listing.latitude, listing.longitude)).miles


@pytest.mark.parametrize("radius", [None, 60], ids=["as first asked", "as far as asked"])
@pytest.mark.parametrize("family", list(FAMILIES))
def test_nearest_first_puts_the_nearest_by_real_distance_on_page_one(
    backend, directory_across_the_area, family, radius
):
    place = place_from_postcode(postcode_in(FAMILIES[family]))[0]
    every = backend.search(SearchQuery(place=place, radius_miles=radius, page_size=500))
    page_one = backend.search(SearchQuery(place=place, radius_miles=radius), reindex=False)
    if radius:  # as far as a family can ask, every listing is in the running
        assert every.total > 20, "the test needs more than one page"

    # Services that come only because they cover the whole county claim no distance: they
    # are listed apart, after everything near.
    near = [m for m in every.matches if not m.area_only]
    assert [m.area_only for m in every.matches] == [False] * len(near) + [True] * (
        every.total - len(near)
    )
    miles = {m.listing_id: real_miles(place, m.listing_id) for m in near}
    nearest_five = sorted(miles, key=miles.get)[:5]
    on_page_one = [m.listing_id for m in page_one.matches if m.listing_id in miles]
    assert set(nearest_five) <= set(on_page_one), (
        family,
        [(m.title, round(miles[m.listing_id], 1)) for m in near],
    )
    # Page one reads in order of real distance. The ranking measures on a sphere, geopy on
    # the WGS-84 ellipsoid: they differ by up to half a per cent, so two listings within that
    # of each other may come either way round.
    shown = [miles[pk] for pk in on_page_one]
    assert all(a <= b * 1.005 + 0.01 for a, b in zip(shown, shown[1:], strict=False)), (
        family,
        "; ".join(
            f"{m.title} {m.stale} {miles.get(m.listing_id, 0):.2f} {m.distance_miles}"
            for m in page_one.matches
        ),
    )
    # Nothing further away than the twentieth nearest is on page one.
    assert max(shown) <= sorted(miles.values())[min(19, len(miles) - 1)] * 1.005 + 0.01


def test_county_wide_services_say_they_cover_the_area_without_claiming_a_distance(
    client, directory_across_the_area
):
    content = client.get("/search/", {"postcode": postcode_in("NE48 2")}).content.decode()
    for title in ("County outreach team", "County sitting service"):
        item = result_item(content, title)
        assert "<strong>Covers all of Northumberland</strong>" in item
        assert not re.search(r"\bmiles?\b", item.split("</strong>")[0]), item


def test_a_full_personal_assistant_ranks_after_one_with_space_in_the_same_district(backend):
    postcodes = Postcode.objects.filter(outcode="NE46").order_by("postcode")
    full = PersonalAssistantPageFactory(
        title="A full PA", postcode=postcodes[0].postcode, travel_radius_miles=20, capacity_now=0
    )
    free = PersonalAssistantPageFactory(
        title="Z has space", postcode=postcodes[10].postcode, travel_radius_miles=20
    )
    place = place_from_postcode(postcode_in("NE46 3"))[0]
    results = backend.search(SearchQuery(place=place, sort=Sort.DISTANCE))
    ids = [m.listing_id for m in results.matches]
    assert ids.index(free.pk) < ids.index(full.pk)


# --- a person's position ------------------------------------------------------------------


def result_item(content: str, title: str) -> str:
    """The result on the page whose heading is `title`."""
    for start in (m.start() for m in re.finditer(r'<li class="app-result', content)):
        depth = 0
        for tag in re.finditer(r"<li\b|</li>", content[start:]):
            depth += 1 if tag.group() != "</li>" else -1
            if depth == 0:  # the result's own closing tag, past the lists inside it
                item = content[start : start + tag.end()]
                break
        if f">{title}</a>" in item:
            return item
    raise AssertionError(f"{title} is not on the page")


def test_a_personal_assistant_is_searched_from_the_centre_of_their_district():
    home = Postcode.objects.filter(outcode="NE46").order_by("latitude")[0]
    pa = PersonalAssistantPageFactory(postcode=home.postcode, travel_radius_miles=20)
    pa.refresh_from_db()
    assert (pa.latitude, pa.longitude) == district_centre("NE46")
    assert (pa.latitude, pa.longitude) != (home.latitude, home.longitude)
    assert pa.postcode == home.postcode  # kept for the council, never used to place them


def test_fifty_searches_cannot_place_a_personal_assistant_closer_than_their_district(client, org_a):
    """Two PAs live at opposite ends of the NE46 district, among venues whose positions are
    public. From fifty postcodes across the area, everything a family or a program can see
    about them is the same for both: the results page (words, bands, the order among the
    venues), the ranking's distances, and the open data API (their location, and the
    proximity at which a postcode search first finds them, narrowed to a sixth of a mile).
    A least-squares fit of their position from those distances lands on the district's
    centre, no nearer to either home than the centre is."""
    homes = Postcode.objects.filter(outcode="NE46").order_by("latitude")
    south, north = homes.first(), homes.last()
    assert geodesic((south.latitude, south.longitude), (north.latitude, north.longitude)).miles > 3
    first = PersonalAssistantPageFactory(
        title="PA one", postcode=south.postcode, travel_radius_miles=45, dbs=True
    )
    second = PersonalAssistantPageFactory(
        title="PA two", postcode=north.postcode, travel_radius_miles=45, dbs=True
    )
    for n, sector in enumerate(every_nth_sector(40)):
        ShortBreakServicePageFactory(
            organisation=org_a, title=f"Venue {n:02d}", postcode=postcode_in(sector)
        )
    for pa in (first, second):  # the API's own description of where they are
        data = client.get(f"{API}/services/{pa.uuid}").json()
        location = data["service_at_locations"][0]["location"]
        at = (location["latitude"], location["longitude"])
        assert geodesic(at, district_centre("NE46")).miles < 0.1
        assert pa.postcode not in str(data)  # the district only

    families = Postcode.objects.order_by("postcode").values_list("postcode", flat=True)
    step = max(1, families.count() // 50)
    seen, measured = [], []
    for postcode in list(families[::step])[:50]:
        place = place_from_postcode(postcode)[0]
        results = run(SearchQuery(place=place, page_size=500))
        by_id = {m.listing_id: (i, m) for i, m in enumerate(results.matches)}
        if first.pk not in by_id:
            assert second.pk not in by_id
            continue
        (i, a), (j, b) = by_id[first.pk], by_id[second.pk]
        assert abs(i - j) == 1 and a.distance_miles == b.distance_miles
        assert a.reasons == b.reasons and a.distance_band == b.distance_band
        assert not re.search(r"\d\.\d", " ".join(a.reasons)), a.reasons
        seen.append((place.latitude, place.longitude, a.distance_miles))
        page = client.get("/search/", {"postcode": postcode}).content.decode()
        if ">PA one</a>" in page:
            one, two = result_item(page, "PA one"), result_item(page, "PA two")
            assert strip_identity(one) == strip_identity(two)
            (x, earlier), (y, _) = sorted([(page.index(one), one), (page.index(two), two)])
            assert page[x + len(earlier) : y].strip() == ""  # next to each other
        found_at = api_distance(client, postcode) if len(measured) < 25 else None
        if found_at is not None:
            measured.append((place.latitude, place.longitude, found_at))
    assert len(seen) >= 40

    assert len(measured) >= 10
    centre = district_centre("NE46")
    for observations in (seen, measured):
        fit = least_squares_position(observations, around=centre)
        assert geodesic(fit, centre).miles < 0.3
        for home in (south, north):
            at = (home.latitude, home.longitude)
            assert geodesic(fit, at).miles >= geodesic(centre, at).miles - 0.3


API = "/api/openreferral"


def strip_identity(item: str) -> str:
    """A result without what names the listing (its id, title and links)."""
    item = re.sub(r"PA (one|two)", "PA", item)
    item = re.sub(r'<p class="govuk-body govuk-!-margin-bottom-1">(?!<strong>).*?</p>', "", item)
    item = re.sub(r'(result-|/)\d+|href="[^"]*"', "", item)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", item)


def api_distance(client, postcode: str) -> float | None:
    """The distance at which the open data API's postcode search first finds the PAs, in miles,
    narrowed by halving (None when not within 45 miles); both PAs must appear and disappear
    together."""
    low, high = 0.0, 45.0
    if not api_finds_them(client, postcode, high):
        return None
    for _ in range(8):
        middle = (low + high) / 2
        low, high = (low, middle) if api_finds_them(client, postcode, middle) else (middle, high)
    return (low + high) / 2


def api_finds_them(client, postcode: str, miles: float) -> bool:
    found = client.get(
        f"{API}/services",
        {"postcode": postcode, "proximity": int(miles * 1609.344), "per_page": 100},
    ).json()
    names = {service["name"] for service in found["contents"]}
    assert ("PA one" in names) == ("PA two" in names), (postcode, miles)
    return "PA one" in names


def least_squares_position(observations, *, around, span=0.3, steps=60):
    """The point whose distances best fit the observed ones: a grid search over a square of
    `span` degrees about `around`, refined once about the best cell."""
    from search.query import haversine_miles

    def error(lat, lon):
        return sum((haversine_miles(lat, lon, a, b) - d) ** 2 for a, b, d in observations)

    best = around
    for width in (span, span / steps * 2):
        cells = [
            (best[0] - width + 2 * width * i / steps, best[1] - width + 2 * width * j / steps)
            for i in range(steps + 1)
            for j in range(steps + 1)
        ]
        best = min(cells, key=lambda cell: error(*cell))
    return best


def test_a_results_page_never_shows_a_person_a_distance_in_tenths_of_a_mile(
    client, directory_across_the_area
):
    for sector in ("NE48 2", "NE1 4", "NE66 1"):
        content = client.get("/search/", {"postcode": postcode_in(sector)}).content.decode()
        for district in PA_DISTRICTS:
            if f">PA based in {district}</a>" not in content:
                continue
            item = result_item(content, f"PA based in {district}")
            assert not re.search(r"\d\.\d", item), item
            assert f"Comes to you from the {district} area (" in item


def test_people_listed_before_the_rule_are_moved_to_their_district_centre_by_the_migration(
    org_a,
):
    """directory/migrations/0012 places listings saved with an exact home position."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "directory.migrations.0012_people_are_placed_at_their_district_centre"
    )
    home = Postcode.objects.filter(outcode="NE61").order_by("postcode")[3]
    pa = PersonalAssistantPageFactory(postcode=home.postcode, travel_radius_miles=10)
    venue = ShortBreakServicePageFactory(organisation=org_a, postcode=postcode_in("NE61 1"))
    ListingPage.objects.filter(pk=pa.pk).update(latitude=home.latitude, longitude=home.longitude)
    where_venue_was = ListingPage.objects.values_list("latitude", "longitude").get(pk=venue.pk)

    migration.place_people_at_district_centres(apps, None)

    assert ListingPage.objects.values_list("latitude", "longitude").get(pk=pa.pk) == (
        district_centre("NE61")
    )
    assert (
        ListingPage.objects.values_list("latitude", "longitude").get(pk=venue.pk) == where_venue_was
    )
