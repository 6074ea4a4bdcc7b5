"""Search results and listing pages read right for one and for many: "1 result", "2 results";
"1 place", "2 places"; "1 hour a week"; "Free" said once; kinds named in the plural; every
distance with its unit. Checked on the pages as rendered, not on the helpers behind them."""

import re

import pytest
from django.utils.html import strip_tags

from directory.choices import CapacityUnit, CostUnit, ListingKind
from tests.factories.directory import InclusiveClubPageFactory, PersonalAssistantPageFactory
from tests.helpers import postcode_in

pytestmark = pytest.mark.django_db


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def search(client, **params) -> str:
    return text(client.get("/search/", {"postcode": postcode_in("NE46 3"), **params}))


def test_one_result_is_one_result(client, org_a):
    InclusiveClubPageFactory(
        organisation=org_a, title="Friday club", postcode=postcode_in("NE46 3")
    )
    results = search(client)
    assert "1 result for NE46 3" in results
    assert "Showing 1 place within" in results
    assert "1 results" not in results and "1 places" not in results


def test_two_results_are_two_results(client, org_a):
    for title in ("Friday club", "Saturday club"):
        InclusiveClubPageFactory(organisation=org_a, title=title, postcode=postcode_in("NE46 3"))
    results = search(client)
    assert "2 results for NE46 3" in results
    assert "Showing 2 places within" in results


@pytest.mark.parametrize(
    "space, unit, words",
    [
        (1, CapacityUnit.PLACES, "1 place"),
        (2, CapacityUnit.PLACES, "2 places"),
        (1, CapacityUnit.HOURS, "1 hour a week"),
        (6, CapacityUnit.HOURS, "6 hours a week"),
        (0, CapacityUnit.PLACES, "Full at the moment"),
    ],
)
def test_space_now_reads_right_in_results_and_on_the_listing(client, org_a, space, unit, words):
    club = InclusiveClubPageFactory(
        organisation=org_a,
        title="Friday club",
        postcode=postcode_in("NE46 3"),
        capacity_now=space,
        capacity_unit=unit,
    )
    assert f"Space now: {words}" in search(client)
    page = text(client.get(club.url))
    assert words in page
    assert not re.search(r"\b1 (places|hours)\b", page)


def test_free_is_said_once_even_when_the_provider_wrote_free_too(client, org_a):
    club = InclusiveClubPageFactory(
        organisation=org_a,
        title="Friday club",
        postcode=postcode_in("NE46 3"),
        cost_unit=CostUnit.FREE,
        cost_amount=None,
        cost_notes="Free.",
    )
    page = text(client.get(club.url))
    assert "Free" in page
    assert not re.search(r"Free\.? Free", page)


def test_kinds_are_named_in_the_plural_where_they_are_counted(client, org_a):
    InclusiveClubPageFactory(
        organisation=org_a, title="Friday club", postcode=postcode_in("NE46 3")
    )
    results = search(client)
    assert "Inclusive club or activitys" not in results
    assert "Inclusive club or activity" in results  # the filter's own label, singular


def test_a_person_who_travels_is_counted_in_words_with_a_distance_band(client, org_a):
    PersonalAssistantPageFactory(
        organisation=org_a,
        postcode=postcode_in("NE46 1"),
        comes_to_family=True,
        at_venue=False,
        travel_radius_miles=10,
    )
    results = search(client, kind=ListingKind.PERSONAL_ASSISTANT)
    assert "1 person or service who travels as far as you" in results
    assert re.search(r"\((within \d+ miles|\d+ to \d+ miles away)\)", results), results
    assert not re.search(r"you are \d", results)
