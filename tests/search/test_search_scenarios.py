"""Families in a city and in a village, on real Northumberland and Newcastle postcodes:
what they find, in what order, and what the search says it did."""

import datetime
from decimal import Decimal

import pytest

from core.dates import today
from directory.choices import CostUnit
from directory.models import ListingStatus, Need
from gazetteer.models import LocalAuthority
from search.backends import run
from search.places import classify, place_from_postcode
from search.query import Filters, Mode, SearchQuery, Sort, haversine_miles
from tests.factories.directory import (
    DBSCheckFactory,
    InclusiveClubPageFactory,
    PersonalAssistantPageFactory,
    ShortBreakServicePageFactory,
    StaffMemberFactory,
)
from tests.helpers import postcode_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    """A family in Newcastle city centre."""
    return place_from_postcode(postcode_in("NE1 4"))[0]


@pytest.fixture
def village():
    """A family in Bellingham, in the North Tyne valley."""
    return place_from_postcode(postcode_in("NE48 2"))[0]


def titles(results):
    return [m.title for m in results.matches]


def test_a_city_centre_is_urban_and_a_north_tyne_village_is_rural(city, village):
    assert city.rural is False
    assert village.rural is True
    assert classify(city.latitude, city.longitude).method == "postcode density"


def test_a_city_family_sees_nearby_venues_first_and_not_ones_twenty_miles_away(city, org_a):
    far = ShortBreakServicePageFactory(
        organisation=org_a, title="Hexham scheme", postcode=postcode_in("NE46 3")
    )
    near = ShortBreakServicePageFactory(
        organisation=org_a, title="Quayside club", postcode=postcode_in("NE1 3")
    )
    nearer = InclusiveClubPageFactory(
        organisation=org_a, title="Grainger swim", postcode=postcode_in("NE1 4")
    )
    results = run(SearchQuery(place=city, mode=Mode.GO, radius_miles=3))
    assert titles(results) == ["Grainger swim", "Quayside club"]
    assert far.title not in titles(results)
    first = results.matches[0]
    assert first.distance_miles <= results.matches[1].distance_miles
    assert first.reasons[0].startswith("You travel")
    expected = haversine_miles(city.latitude, city.longitude, nearer.latitude, nearer.longitude)
    assert first.distance_miles == pytest.approx(expected, abs=0.06)
    assert near.pk in [m.listing_id for m in results.matches]


def test_a_village_family_finds_personal_assistants_who_travel_to_them(village, org_a):
    reaches = PersonalAssistantPageFactory(
        title="Alex, PA in Hexham", postcode=postcode_in("NE46 1"), travel_radius_miles=25
    )
    PersonalAssistantPageFactory(
        title="Jo, PA in Hexham (town only)", postcode=postcode_in("NE46 1"), travel_radius_miles=3
    )
    results = run(SearchQuery(place=village, mode=Mode.COME))
    assert titles(results) == ["Alex, PA in Hexham"]
    (match,) = results.matches
    assert match.comes_to_you
    assert "travels up to 25 miles" in match.reasons[0]
    assert match.listing_id == reaches.pk


def test_a_service_that_covers_the_familys_council_area_comes_to_them_whatever_the_distance(
    village, org_a
):
    outreach = ShortBreakServicePageFactory(
        organisation=org_a,
        title="County outreach team",
        postcode=postcode_in("NE1 4"),
        at_venue=False,
        comes_to_family=True,
        travel_radius_miles=5,
    )
    outreach.served_local_authorities.add(LocalAuthority.objects.get(code="E06000057"))
    outreach.save()
    results = run(SearchQuery(place=village, mode=Mode.COME))
    assert titles(results) == ["County outreach team"]
    assert results.matches[0].reasons[0] == "Comes to families anywhere in Northumberland"
    assert results.matches[0].area_only  # listed apart, no distance claimed


def test_a_rural_search_starts_wider_and_widens_until_it_finds_something_and_says_so(
    village, org_a
):
    venue = ShortBreakServicePageFactory(
        organisation=org_a, title="Hexham scheme", postcode=postcode_in("NE46 3")
    )
    miles = haversine_miles(village.latitude, village.longitude, venue.latitude, venue.longitude)
    assert 10 < miles <= 20  # Bellingham to Hexham
    results = run(SearchQuery(place=village, mode=Mode.GO))
    assert results.tried_radii[0] == 10
    assert results.widened
    assert titles(results) == ["Hexham scheme"]
    assert results.message.startswith("Nothing close enough within 10 miles. Showing 1 place")


def test_an_urban_search_starts_at_three_miles(city, org_a):
    ShortBreakServicePageFactory(organisation=org_a, postcode=postcode_in("NE1 4"))
    results = run(SearchQuery(place=city, mode=Mode.GO))
    assert results.tried_radii[0] == 3


def test_a_search_that_finds_nothing_says_how_far_it_looked(village, org_a):
    results = run(SearchQuery(place=village))
    assert results.total == 0
    assert results.message == "Nothing found within 30 miles, the furthest we search."


def test_a_listing_that_both_has_a_venue_and_comes_to_you_counts_as_coming_to_you(city, org_a):
    ShortBreakServicePageFactory(
        organisation=org_a,
        title="Both ways",
        postcode=postcode_in("NE1 3"),
        comes_to_family=True,
        travel_radius_miles=10,
    )
    (match,) = run(SearchQuery(place=city, radius_miles=5)).matches
    assert match.comes_to_you
    assert match.reasons[0].startswith("Comes to you")
    assert match.reasons[1].startswith("You travel")


def test_where_can_i_go_and_who_can_come_to_me_can_be_asked_separately(city, org_a):
    ShortBreakServicePageFactory(organisation=org_a, title="Venue", postcode=postcode_in("NE1 4"))
    PersonalAssistantPageFactory(title="PA", postcode=postcode_in("NE1 4"), travel_radius_miles=5)
    assert titles(run(SearchQuery(place=city, mode=Mode.GO, radius_miles=3))) == ["Venue"]
    assert titles(run(SearchQuery(place=city, mode=Mode.COME, radius_miles=3))) == ["PA"]
    # Nearest first by real distance: the venue is in the family's own postcode sector, the
    # PA is placed at the centre of the NE1 district.
    assert titles(run(SearchQuery(place=city, radius_miles=3))) == ["Venue", "PA"]


def test_a_stale_listing_nearer_the_family_still_comes_first_marked_stale(city, org_a):
    stale = ShortBreakServicePageFactory(
        organisation=org_a, title="Closest but stale", postcode=postcode_in("NE1 4")
    )
    ShortBreakServicePageFactory(
        organisation=org_a, title="Further but current", postcode=postcode_in("NE4 5")
    )
    ListingStatus.objects.filter(listing_id=stale.pk).update(
        assured_date=today() - datetime.timedelta(weeks=14)
    )
    results = run(SearchQuery(place=city, radius_miles=5))
    assert titles(results) == ["Closest but stale", "Further but current"]
    assert results.matches[0].stale


def test_lapsed_and_expired_listings_never_appear(city, org_a, org_b):
    ShortBreakServicePageFactory(organisation=org_a, title="Lapsed", postcode=postcode_in("NE1 4"))
    DBSCheckFactory(person=StaffMemberFactory(organisation=org_a), lapsed=True)
    expired = ShortBreakServicePageFactory(
        organisation=org_b, title="Expired", postcode=postcode_in("NE1 4")
    )
    ListingStatus.objects.filter(listing_id=expired.pk).update(
        assured_date=today() - datetime.timedelta(weeks=27)
    )
    assert run(SearchQuery(place=city, radius_miles=5)).total == 0


def test_every_need_asked_for_must_be_supported(city, org_a):
    autism = ShortBreakServicePageFactory(
        organisation=org_a, title="Autism only", postcode=postcode_in("NE1 4")
    )
    both = ShortBreakServicePageFactory(
        organisation=org_a, title="Autism and ADHD", postcode=postcode_in("NE1 4")
    )
    autism.needs.set(Need.objects.filter(slug="autism"))
    autism.save()
    both.needs.set(Need.objects.filter(slug__in=["autism", "adhd"]))
    both.save()
    query = SearchQuery(place=city, radius_miles=3, filters=Filters(needs=("autism", "adhd")))
    assert titles(run(query)) == ["Autism and ADHD"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(age=3), ["Toddlers"]),
        (Filters(age=16), ["Teens"]),
        (Filters(free_only=True), ["Toddlers"]),
        (Filters(max_hourly_cost=Decimal("10")), ["Toddlers"]),
        (Filters(kinds=("inclusive_club",)), ["Teens"]),
        (Filters(has_capacity=True), ["Teens"]),
        (Filters(verified_dbs_only=True), []),
    ],
)
def test_filters_narrow_the_results(city, org_a, filters, expected):
    ShortBreakServicePageFactory(
        organisation=org_a,
        title="Toddlers",
        postcode=postcode_in("NE1 4"),
        age_min=0,
        age_max=5,
        cost_unit=CostUnit.FREE,
        cost_amount=None,
        capacity_now=0,
    )
    InclusiveClubPageFactory(
        organisation=org_a,
        title="Teens",
        postcode=postcode_in("NE1 4"),
        age_min=11,
        age_max=18,
        capacity_now=4,
    )
    assert titles(run(SearchQuery(place=city, radius_miles=3, filters=filters))) == expected


def test_facet_counts_describe_the_results(city, org_a):
    ShortBreakServicePageFactory(organisation=org_a, postcode=postcode_in("NE1 4"))
    InclusiveClubPageFactory(organisation=org_a, postcode=postcode_in("NE1 4"))
    results = run(SearchQuery(place=city, radius_miles=3))
    assert results.facets["kinds"] == {"short_break": 1, "inclusive_club": 1}
    assert results.facets["needs"]["autism"] == 2


def test_most_recently_checked_first_when_asked(city, org_a):
    older = ShortBreakServicePageFactory(
        organisation=org_a, title="Checked a month ago", postcode=postcode_in("NE1 4")
    )
    ShortBreakServicePageFactory(
        organisation=org_a, title="Checked today", postcode=postcode_in("NE4 5")
    )
    ListingStatus.objects.filter(listing_id=older.pk).update(
        assured_date=today() - datetime.timedelta(days=30)
    )
    results = run(SearchQuery(place=city, radius_miles=5, sort=Sort.CHECKED))
    assert titles(results) == ["Checked today", "Checked a month ago"]


def test_text_search_matches_name_and_description(city, org_a):
    ShortBreakServicePageFactory(
        organisation=org_a, title="Riverside swimming", postcode=postcode_in("NE1 4")
    )
    ShortBreakServicePageFactory(
        organisation=org_a, title="Art club", postcode=postcode_in("NE1 4")
    )
    assert titles(run(SearchQuery(place=city, radius_miles=3, text="swimming"))) == [
        "Riverside swimming"
    ]


def test_results_are_paged(city, org_a):
    for n in range(5):
        ShortBreakServicePageFactory(
            organisation=org_a, title=f"Scheme {n}", postcode=postcode_in("NE1 4")
        )
    results = run(SearchQuery(place=city, radius_miles=3, page=2, page_size=2))
    assert results.total == 5
    assert len(results.matches) == 2
    assert run(SearchQuery(place=city, radius_miles=3, page=99, page_size=2)).matches == []
