"""Reach: services within a family's travel distance of each ward, against the hand-counted
directory of conftest.py plus one personal assistant who serves Newcastle from Morpeth.

Measured by hand from the ward centres (gazetteer.PlaceName) and the listings' postcodes:

- Hexham East (Northumberland, 54.9679, -2.0936): sb1 0.2 miles, sb2 0.2 miles (venues);
  pa 0.9 miles from its base, inside its 15 miles (comes); city 19 miles, club 25 miles.
- Monument (Newcastle, 54.9721, -1.6156): city 0.3 miles (venue); Hexham 19 miles and more,
  Morpeth 13 miles and more; `serving` covers Newcastle (comes).
Without the ONS classification both are urban by postcode density (search's 3 miles); with it,
Newcastle's wards are urban and each ward takes its nearest classified LSOA's class."""

import pytest
from django.core.cache import cache

from gazetteer.models import LocalAuthority, PlaceName
from tests.factories.directory import NEWCASTLE, PersonalAssistantPageFactory, gazetteer_postcode

from .helpers import DASHBOARD, csv_download, sign_in, tables

pytestmark = pytest.mark.django_db

NORTHUMBERLAND_WARDS, NEWCASTLE_WARDS = 63, 26  # in the test gazetteer (the NE area)
COUNCILS = ["E06000057", NEWCASTLE]  # Northumberland, Newcastle upon Tyne


@pytest.fixture(autouse=True)
def fresh_cache():
    """Ward classes are cached by the number of ONS classes: another test's may match."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def serving(listings):
    """A personal assistant based in Morpeth, travelling a mile, who serves Newcastle."""
    return PersonalAssistantPageFactory(
        postcode=gazetteer_postcode(0, "NE61"),
        travel_radius_miles=1,
        served_local_authorities=[LocalAuthority.objects.get(code=NEWCASTLE)],
    )


@pytest.fixture
def reach(client, moderator, serving):
    sign_in(client, moderator)

    def get(**params):
        return tables(client.get(DASHBOARD, params))["reach-wards"]

    return get


def by_ward(table) -> dict[tuple[str, str], list]:
    """(ward, council) -> rural or urban, venues, venue distance, services that come."""
    return {(row[0], row[1]): row[2:] for row in table.rows}


def test_each_served_ward_is_counted_from_its_centre(reach):
    table = reach()
    found = by_ward(table)
    assert len(found) == NORTHUMBERLAND_WARDS + NEWCASTLE_WARDS
    assert found[("Hexham East", "Northumberland")] == [None, 2, 3, 1]  # sb1, sb2; pa
    assert found[("Monument", "Newcastle upon Tyne")] == [None, 1, 3, 1]  # city; serving
    # Every Newcastle ward has the assistant who serves the whole council.
    assert all(row[3] >= 1 for (_w, council), row in found.items() if council.startswith("New"))


def test_the_gaps_come_first(reach):
    table = reach()
    order = [(row[3], row[5]) for row in table.rows]
    assert order == sorted(order)
    assert table.rows[0][3] == 0
    gaps = sum(1 for row in table.rows if row[3] == 0)
    assert table.summary.startswith(
        f"Of {NORTHUMBERLAND_WARDS + NEWCASTLE_WARDS} wards, {gaps} have no venue within reach"
    )
    assert "has not been imported" in table.summary


def test_council_filter_narrows_the_wards_not_the_services(reach):
    found = by_ward(reach(council=NEWCASTLE))
    assert len(found) == NEWCASTLE_WARDS
    assert {council for _ward, council in found} == {"Newcastle upon Tyne"}
    assert found[("Monument", "Newcastle upon Tyne")] == [None, 1, 3, 1]


def test_kind_need_and_age_narrow_the_services(reach):
    hexham, monument = ("Hexham East", "Northumberland"), ("Monument", "Newcastle upon Tyne")
    found = by_ward(reach(kind="personal_assistant"))
    assert found[hexham] == [None, 0, 3, 1]
    assert found[monument] == [None, 0, 3, 1]
    assert all(row[1] == 0 for row in found.values())  # assistants have no venue
    found = by_ward(reach(age_band="0-4"))
    assert found[hexham] == [None, 1, 3, 0]  # sb2 only
    assert found[monument] == [None, 0, 3, 0]
    found = by_ward(reach(need="physical-disability"))
    assert found[hexham] == [None, 1, 3, 0]  # sb2


def test_rural_and_urban_wards_use_search_distances(reach, rural_classes):
    every = by_ward(reach())
    assert {row[0] for row in every.values()} == {"Rural", "Urban"}
    rural, urban = by_ward(reach(area="rural")), by_ward(reach(area="urban"))
    assert rural and urban
    assert len(rural) + len(urban) == NORTHUMBERLAND_WARDS + NEWCASTLE_WARDS
    assert all(row[0] == "Rural" and row[2] == 10 for row in rural.values())
    assert all(row[0] == "Urban" and row[2] == 3 for row in urban.values())
    assert all(council == "Northumberland" for _ward, council in rural)  # only sb1's LSOA
    assert ("Monument", "Newcastle upon Tyne") in urban
    summary = reach().summary
    assert f"{len(rural)} rural wards: a median of" in summary
    assert "venues within 10 miles" in summary and "venues within 3 miles" in summary


def test_rural_without_the_classification_shows_no_wards(reach):
    table = reach(area="rural")
    assert table.rows == []
    assert table.summary == "No wards to show for these filters."


def test_a_ward_takes_the_class_of_the_nearest_classified_lsoa(reach, rural_classes, listings):
    from gazetteer.models import Postcode

    sb1 = Postcode.objects.get(postcode=listings["sb1"].postcode)
    rural = by_ward(reach(area="rural"))
    # Hexham East's centre is 0.2 miles from sb1: its nearest classified LSOA is sb1's or a
    # neighbour's; whichever, the class shown is the one used for its distance.
    row = by_ward(reach())[("Hexham East", "Northumberland")]
    assert row[2] == (10 if row[0] == "Rural" else 3)
    assert row[1] == 2
    wards = PlaceName.objects.filter(kind="ward", local_authority_code=sb1.local_authority_code)
    assert wards.count() == (NORTHUMBERLAND_WARDS)
    assert rural


def test_reach_downloads_with_small_counts_suppressed(client, moderator, serving):
    sign_in(client, moderator)
    body = csv_download(client, "reach-wards.csv")
    assert body[0] == [
        "Ward",
        "Council",
        "Rural or urban",
        "Venues within reach",
        "Venue distance (miles)",
        "Services that come to families",
    ]
    rows = {(row[0], row[1]): row[2:] for row in body[1:]}
    assert rows[("Monument", "Newcastle upon Tyne")] == ["", "fewer than 5", "3", "fewer than 5"]
    assert rows[("Hexham East", "Northumberland")] == ["", "fewer than 5", "3", "fewer than 5"]
    assert len(rows) == NORTHUMBERLAND_WARDS + NEWCASTLE_WARDS


def test_the_reach_table_is_on_the_page(client, moderator, serving):
    sign_in(client, moderator)
    html = client.get(DASHBOARD).content.decode()
    assert 'id="section-reach"' in html
    assert (
        '<caption class="w-sr-only">Services within reach of each ward, fewest first</caption>'
        in html
    )
    assert "download=reach-wards.csv" in html


def test_the_box_loses_nothing_a_brute_force_count_finds(reach, listings, serving):
    """Every ward against every listing, measured one by one (no box), gives the same counts."""
    from search.api import haversine_miles

    found = by_ward(reach())
    services = [*listings.values(), serving]
    names = dict(LocalAuthority.objects.values_list("code", "name"))
    for ward in PlaceName.objects.filter(kind="ward", local_authority_code__in=names):
        key = (ward.name, names[ward.local_authority_code])
        if key not in found:
            continue
        radius = found[key][2]

        def miles(listing, ward=ward):
            return haversine_miles(
                ward.latitude, ward.longitude, listing.latitude, listing.longitude
            )

        venues = sum(1 for s in services if s.at_venue and miles(s) <= radius)
        coming = sum(
            1
            for s in services
            if s.comes_to_family
            and (
                miles(s) <= s.travel_radius_miles
                or s.served_local_authorities.filter(code=ward.local_authority_code).exists()
            )
        )
        assert found[key][1:4:2] == [venues, coming], key


def test_reach_is_a_fixed_handful_of_queries(client, moderator, serving):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sufficiency.filters import read_filters
    from sufficiency.reach import reach_table

    _form, filters = read_filters({})
    with CaptureQueriesContext(connection) as queries:
        reach_table(filters)
    assert len(queries.captured_queries) <= 10
    with CaptureQueriesContext(connection) as again:
        reach_table(filters)
    assert len(again.captured_queries) < len(queries.captured_queries)  # classes cached


def test_the_page_shows_the_50_fewest_and_the_download_every_ward(client, moderator, serving):
    sign_in(client, moderator)
    response = client.get(DASHBOARD)
    table = tables(response)["reach-wards"]
    assert len(table.rows) == NORTHUMBERLAND_WARDS + NEWCASTLE_WARDS
    assert len(list(table.cells())) == 50
    assert len(table.bars["bars"]) == 50
    assert table.note.startswith("Shown: the 50 wards with the fewest, of 89;")
    html = response.content.decode()
    section = html.split('id="section-reach"')[1].split("</section>")[0]
    assert section.count('<th scope="row">') == 50
    assert len(csv_download(client, "reach-wards.csv")) == 1 + 89


def test_the_wards_on_screen_are_marked_on_a_map_saying_what_the_table_says(
    client, moderator, serving
):
    import json
    import re

    sign_in(client, moderator)
    response = client.get(DASHBOARD)
    table = tables(response)["reach-wards"]
    html = response.content.decode()
    found = re.search(
        r'<script id="reach-wards-points" type="application/json">(.*?)</script>', html
    )
    points = json.loads(found.group(1))
    assert [p["name"] for p in points] == [f"{row[0]} ({row[1]})" for row in table.screen_rows]
    for point, (ward, _council, _ons, venues, radius, coming) in zip(
        points, table.screen_rows, strict=True
    ):
        assert point["says"] == (
            f"{venues} venue{'s' * (venues != 1)} within {radius:g} miles, "
            f"{coming} service{'s' * (coming != 1)} that come{'s' * (coming == 1)} to families"
        )
        centre = PlaceName.objects.get(
            name=ward, kind=PlaceName.WARD, local_authority_code__in=COUNCILS
        )
        assert (point["lat"], point["lng"]) == (
            pytest.approx(centre.latitude, abs=1e-5),
            pytest.approx(centre.longitude, abs=1e-5),
        )
    assert 'data-gaps-map data-points="reach-wards-points"' in html and " hidden>" in html
