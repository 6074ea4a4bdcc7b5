"""The contract every search backend keeps: the same matches, order, totals, radii, reasons and
facets for the same data. Each test runs against the embedded (database) backend and the
engine backend (OpenSearch API, served by osmem-server, in memory, started once per session).
"""

import datetime
import re
from dataclasses import asdict
from decimal import Decimal

import pytest
from django.test import override_settings
from freezegun import freeze_time

from core.dates import today
from directory.choices import CostUnit
from directory.models import FundingRoute, Language, ListingStatus, Need
from gazetteer.models import LocalAuthority
from search.backends.embedded import EmbeddedBackend
from search.backends.engine import EngineBackend
from search.indexing import rebuild
from search.places import place_from_postcode
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
    return place_from_postcode(postcode_in("NE1 4"))[0]


@pytest.fixture
def village():
    return place_from_postcode(postcode_in("NE48 2"))[0]


def titles(results):
    return [m.title for m in results.matches]


# --- where can I go? who can come to me? ---------------------------------------------------------


def test_a_city_family_sees_nearby_venues_nearest_first(backend, city, org_a):
    ShortBreakServicePageFactory(
        organisation=org_a, title="Hexham scheme", postcode=postcode_in("NE46 3")
    )
    ShortBreakServicePageFactory(
        organisation=org_a, title="Quayside club", postcode=postcode_in("NE1 3")
    )
    nearer = InclusiveClubPageFactory(
        organisation=org_a, title="Grainger swim", postcode=postcode_in("NE1 4")
    )
    results = backend.search(SearchQuery(place=city, mode=Mode.GO, radius_miles=3))
    assert results.backend == backend.name
    assert titles(results) == ["Grainger swim", "Quayside club"]
    assert results.total == 2
    assert results.tried_radii == [3]
    first = results.matches[0]
    assert first.reasons[0].startswith("You travel")
    expected = haversine_miles(city.latitude, city.longitude, nearer.latitude, nearer.longitude)
    assert first.distance_miles == pytest.approx(expected, abs=0.06)
    assert not first.comes_to_you


def test_a_village_family_finds_personal_assistants_who_travel_to_them(backend, village):
    reaches = PersonalAssistantPageFactory(
        title="Alex, PA in Hexham", postcode=postcode_in("NE46 1"), travel_radius_miles=25
    )
    PersonalAssistantPageFactory(
        title="Jo, PA in Hexham (town only)", postcode=postcode_in("NE46 1"), travel_radius_miles=3
    )
    results = backend.search(SearchQuery(place=village, mode=Mode.COME))
    assert titles(results) == ["Alex, PA in Hexham"]
    (match,) = results.matches
    assert match.comes_to_you
    assert match.listing_id == reaches.pk
    # A person's distance is a band from their district's centre, never a figure.
    assert re.fullmatch(
        r"Comes to you: travels up to 25 miles from their area, which is "
        r"(within 5 miles|5 to 10 miles|10 to 20 miles|more than 20 miles) from you",
        match.reasons[0],
    ), match.reasons[0]


def test_a_service_covering_the_familys_council_area_comes_whatever_the_distance(
    backend, village, org_a
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
    results = backend.search(SearchQuery(place=village, mode=Mode.COME))
    assert titles(results) == ["County outreach team"]
    assert results.matches[0].reasons == ["Comes to families anywhere in Northumberland"]
    assert results.matches[0].area_only  # listed apart, with no distance claimed


def test_a_listing_with_a_venue_that_also_comes_to_you_counts_as_coming(backend, city, org_a):
    ShortBreakServicePageFactory(
        organisation=org_a,
        title="Both ways",
        postcode=postcode_in("NE1 3"),
        comes_to_family=True,
        travel_radius_miles=10,
    )
    (match,) = backend.search(SearchQuery(place=city, radius_miles=5)).matches
    assert match.comes_to_you
    assert match.reasons[0].startswith("Comes to you")
    assert match.reasons[1].startswith("You travel")


def test_the_two_questions_can_be_asked_separately_or_together(backend, city, org_a):
    ShortBreakServicePageFactory(organisation=org_a, title="Venue", postcode=postcode_in("NE1 4"))
    PersonalAssistantPageFactory(title="PA", postcode=postcode_in("NE1 4"), travel_radius_miles=5)
    backend.index()
    search = backend.search
    assert titles(search(SearchQuery(place=city, mode=Mode.GO, radius_miles=3), False)) == ["Venue"]
    assert titles(search(SearchQuery(place=city, mode=Mode.COME, radius_miles=3), False)) == ["PA"]
    # Nearest first by real distance: the venue is in the family's own postcode sector, the
    # PA is placed at the centre of the NE1 district.
    assert titles(search(SearchQuery(place=city, radius_miles=3), False)) == ["Venue", "PA"]


# --- how far the search looks --------------------------------------------------------------------


def test_a_rural_search_widens_until_it_finds_something_and_says_so(backend, village, org_a):
    ShortBreakServicePageFactory(
        organisation=org_a, title="Hexham scheme", postcode=postcode_in("NE46 3")
    )
    results = backend.search(SearchQuery(place=village, mode=Mode.GO))
    assert results.tried_radii == [10, 15, 20, 30]  # fewer than enough results: widen to the end
    assert results.radius_miles == 30
    assert titles(results) == ["Hexham scheme"]
    assert results.message == (
        "Nothing close enough within 10 miles. Showing 1 place within 30 miles."
    )


@override_settings(SEARCH_ENOUGH_RESULTS=1)
def test_widening_stops_once_there_are_enough_results(backend, village, org_a):
    venue = ShortBreakServicePageFactory(
        organisation=org_a, title="Hexham scheme", postcode=postcode_in("NE46 3")
    )
    miles = haversine_miles(village.latitude, village.longitude, venue.latitude, venue.longitude)
    assert 10 < miles <= 15  # Bellingham to Hexham
    results = backend.search(SearchQuery(place=village, mode=Mode.GO))
    assert results.tried_radii == [10, 15]
    assert titles(results) == ["Hexham scheme"]


def test_an_urban_search_starts_at_three_miles(backend, city, org_a):
    ShortBreakServicePageFactory(organisation=org_a, postcode=postcode_in("NE1 4"))
    results = backend.search(SearchQuery(place=city, mode=Mode.GO))
    assert results.tried_radii == [3, 5, 10, 15]
    assert results.total == 1


def test_a_search_that_finds_nothing_says_how_far_it_looked(backend, village, org_a):
    results = backend.search(SearchQuery(place=village))
    assert results.total == 0
    assert results.matches == []
    assert results.message == "Nothing found within 30 miles, the furthest we search."
    assert results.facets["kinds"] == {}


# --- freshness and safeguarding ------------------------------------------------------------------


def test_nearest_first_keeps_a_stale_listing_in_its_place_by_distance(backend, city, org_a):
    """A stale listing is marked, not buried: nearest first is by distance, and staleness only
    breaks ties (issue 13: the nearest club was on a later page)."""
    stale = ShortBreakServicePageFactory(
        organisation=org_a, title="Closest but stale", postcode=postcode_in("NE1 4")
    )
    ShortBreakServicePageFactory(
        organisation=org_a, title="Further but current", postcode=postcode_in("NE4 5")
    )
    ListingStatus.objects.filter(listing_id=stale.pk).update(
        assured_date=today() - datetime.timedelta(weeks=14)
    )
    results = backend.search(SearchQuery(place=city, radius_miles=5))
    assert titles(results) == ["Closest but stale", "Further but current"]
    assert [m.stale for m in results.matches] == [True, False]


def test_at_the_same_distance_a_current_listing_ranks_before_a_stale_one(backend, city, org_a):
    first, second = (
        ShortBreakServicePageFactory(organisation=org_a, title=title, postcode=postcode_in("NE1 4"))
        for title in ("A stale one", "B current one")
    )
    ListingStatus.objects.filter(listing_id=first.pk).update(
        assured_date=today() - datetime.timedelta(weeks=14)
    )
    assert titles(backend.search(SearchQuery(place=city, radius_miles=5))) == [
        "B current one",
        "A stale one",
    ]


def test_by_relevance_stale_listings_rank_below_current_ones(backend, city, org_a):
    stale = ShortBreakServicePageFactory(
        organisation=org_a, title="Closest but stale", postcode=postcode_in("NE1 4")
    )
    ShortBreakServicePageFactory(
        organisation=org_a, title="Further but current", postcode=postcode_in("NE4 5")
    )
    ListingStatus.objects.filter(listing_id=stale.pk).update(
        assured_date=today() - datetime.timedelta(weeks=14)
    )
    results = backend.search(SearchQuery(place=city, radius_miles=5, sort=Sort.RELEVANCE))
    assert titles(results) == ["Further but current", "Closest but stale"]


def test_most_recently_checked_first_when_asked(backend, city, org_a):
    older = ShortBreakServicePageFactory(
        organisation=org_a, title="Checked a month ago", postcode=postcode_in("NE1 4")
    )
    ShortBreakServicePageFactory(
        organisation=org_a, title="Checked today", postcode=postcode_in("NE4 5")
    )
    ListingStatus.objects.filter(listing_id=older.pk).update(
        assured_date=today() - datetime.timedelta(days=30)
    )
    results = backend.search(SearchQuery(place=city, radius_miles=5, sort=Sort.CHECKED))
    assert titles(results) == ["Checked today", "Checked a month ago"]


def test_lapsed_expired_and_unpublished_listings_never_appear(backend, city, org_a, org_b):
    ShortBreakServicePageFactory(organisation=org_a, title="Lapsed", postcode=postcode_in("NE1 4"))
    DBSCheckFactory(person=StaffMemberFactory(organisation=org_a), lapsed=True)
    expired = ShortBreakServicePageFactory(
        organisation=org_b, title="Expired", postcode=postcode_in("NE1 4")
    )
    ListingStatus.objects.filter(listing_id=expired.pk).update(
        assured_date=today() - datetime.timedelta(weeks=27)
    )
    ShortBreakServicePageFactory(
        organisation=org_b, title="Draft", postcode=postcode_in("NE1 4"), live=False
    )
    assert backend.search(SearchQuery(place=city, radius_miles=5)).total == 0
    assert backend.search(SearchQuery(), reindex=False).total == 0


def test_a_listing_in_a_section_with_a_view_restriction_never_appears(backend, city, org_a):
    from wagtail.models import PageViewRestriction

    hidden = ShortBreakServicePageFactory(
        organisation=org_a, title="Hidden", postcode=postcode_in("NE1 4")
    )
    ShortBreakServicePageFactory(organisation=org_a, title="Shown", postcode=postcode_in("NE1 4"))
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="a-password"
    )
    assert titles(backend.search(SearchQuery(place=city, radius_miles=5))) == ["Shown"]
    assert titles(backend.search(SearchQuery(), reindex=False)) == ["Shown"]


def test_listings_drop_out_as_dates_pass_without_reindexing(backend, city, org_a, org_b):
    ShortBreakServicePageFactory(organisation=org_a, title="Lapsing", postcode=postcode_in("NE1 4"))
    DBSCheckFactory(person=StaffMemberFactory(organisation=org_a), lapsed_recently=True)
    ShortBreakServicePageFactory(organisation=org_b, title="Ageing", postcode=postcode_in("NE1 4"))
    query = SearchQuery(place=city, radius_miles=5)
    assert sorted(titles(backend.search(query))) == ["Ageing", "Lapsing"]  # indexed now
    with freeze_time(today() + datetime.timedelta(days=12)):  # past the DBS grace period
        assert titles(backend.search(query, reindex=False)) == ["Ageing"]
    with freeze_time(today() + datetime.timedelta(weeks=14)):
        results = backend.search(query, reindex=False)
        assert titles(results) == ["Ageing"]
        assert results.matches[0].stale
    with freeze_time(today() + datetime.timedelta(weeks=26)):  # past the freshness expiry
        assert backend.search(query, reindex=False).total == 0


# --- filters, facets, text, paging ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ["Teens", "Toddlers"]),
        (Filters(age=3), ["Toddlers"]),
        (Filters(age=16), ["Teens"]),
        (Filters(age=40), []),
        (Filters(free_only=True), ["Toddlers"]),
        (Filters(max_hourly_cost=Decimal("10")), ["Toddlers"]),
        (Filters(kinds=("inclusive_club",)), ["Teens"]),
        (Filters(kinds=("inclusive_club", "short_break")), ["Teens", "Toddlers"]),
        (Filters(has_capacity=True), ["Teens"]),
        (Filters(verified_dbs_only=True), []),
        (Filters(needs=("autism", "adhd")), ["Teens"]),
        (Filters(needs=("autism",)), ["Teens", "Toddlers"]),
        (Filters(service_types=("youth-club", "day-care")), ["Teens", "Toddlers"]),
        (Filters(service_types=("youth-club",)), ["Teens"]),
        (Filters(skills=("personal-care", "makaton")), ["Toddlers"]),
        (Filters(access_features=("quiet-room", "accessible-toilet")), ["Teens"]),
        (Filters(funding=("self-funded", "no-such-route")), ["Teens"]),
        (Filters(languages=("english",)), ["Teens", "Toddlers"]),
        (Filters(days=(5,)), ["Teens"]),
        (Filters(days=(1, 6)), ["Toddlers"]),
        (Filters(at_time=datetime.time(19, 0)), ["Teens"]),
        (Filters(at_time=datetime.time(20, 30)), []),
        (Filters(overnight=True), []),
        (Filters(term_time=True), ["Teens", "Toddlers"]),
        (Filters(school_holidays=True), ["Teens"]),
    ],
)
def test_filters_narrow_the_results(backend, city, org_a, filters, expected):
    ShortBreakServicePageFactory(
        organisation=org_a,
        title="Toddlers",
        postcode=postcode_in("NE1 4"),
        age_min=0,
        age_max=5,
        cost_unit=CostUnit.FREE,
        cost_amount=None,
        capacity_now=0,
        school_holidays=False,
        time_from=datetime.time(10, 0),
        time_to=datetime.time(16, 0),
    )
    InclusiveClubPageFactory(
        organisation=org_a,
        title="Teens",
        postcode=postcode_in("NE1 4"),
        age_min=11,
        age_max=18,
        capacity_now=4,
    )
    query = SearchQuery(place=city, radius_miles=3, filters=filters)
    assert sorted(titles(backend.search(query))) == expected


def test_kitemarked_only_keeps_listings_whose_kitemark_has_not_expired(backend, city, org_a):
    current, lapsed, never = (
        ShortBreakServicePageFactory(organisation=org_a, title=t, postcode=postcode_in("NE1 4"))
        for t in ("Current kitemark", "Expired kitemark", "No kitemark")
    )
    on = today()
    ListingStatus.objects.filter(listing=current).update(
        kitemark_awarded_on=on - datetime.timedelta(days=30),
        kitemark_expires_on=on + datetime.timedelta(days=1),
    )
    ListingStatus.objects.filter(listing=lapsed).update(
        kitemark_awarded_on=on - datetime.timedelta(days=800),
        kitemark_expires_on=on - datetime.timedelta(days=1),
    )
    query = SearchQuery(place=city, radius_miles=3, filters=Filters(kitemarked_only=True))
    assert titles(backend.search(query)) == ["Current kitemark"]
    with freeze_time(on + datetime.timedelta(days=2)):  # the award runs out: no reindex needed
        assert titles(backend.search(query, reindex=False)) == []


def test_an_hourly_cost_limit_keeps_free_and_cheap_enough_hourly_listings(backend, city, org_a):
    for title, amount in [("Cheap", "9.99"), ("Exact", "10.00"), ("Dear", "10.01")]:
        ShortBreakServicePageFactory(
            organisation=org_a,
            title=title,
            postcode=postcode_in("NE1 4"),
            cost_unit=CostUnit.HOUR,
            cost_amount=Decimal(amount),
        )
    query = SearchQuery(place=city, radius_miles=3, filters=Filters(max_hourly_cost=Decimal(10)))
    assert sorted(titles(backend.search(query))) == ["Cheap", "Exact"]


def test_facet_counts_describe_all_the_results_not_just_the_page(backend, city, org_a):
    ShortBreakServicePageFactory(organisation=org_a, postcode=postcode_in("NE1 4"))
    club = InclusiveClubPageFactory(organisation=org_a, postcode=postcode_in("NE1 4"))
    club.languages.add(Language.objects.get(slug="english"), *Language.objects.all()[:2])
    club.save()
    InclusiveClubPageFactory(organisation=org_a, postcode=postcode_in("NE46 3"))  # too far
    results = backend.search(SearchQuery(place=city, radius_miles=3, page_size=1))
    assert len(results.matches) == 1
    assert results.facets["kinds"] == {"short_break": 1, "inclusive_club": 1}
    assert results.facets["needs"] == {"autism": 2, "learning-disability": 1, "adhd": 1}
    assert results.facets["service_types"] == {"day-care": 1, "youth-club": 1}
    assert results.facets["funding"] == {
        "direct-payment": 1,
        "personal-budget": 1,
        "self-funded": 1,
    }
    expected_languages = {"english": 2}
    for language in club.languages.exclude(slug="english"):
        expected_languages[language.slug] = 1
    assert results.facets["languages"] == expected_languages
    assert set(results.facets) == {
        "kinds",
        "service_types",
        "needs",
        "skills",
        "funding",
        "languages",
        "access_features",
    }


def test_text_search_matches_parts_of_words_in_name_summary_and_description(backend, city, org_a):
    ShortBreakServicePageFactory(
        organisation=org_a, title="Riverside swimming", postcode=postcode_in("NE1 4")
    )
    ShortBreakServicePageFactory(
        organisation=org_a,
        title="Art club",
        summary="Painting for everyone.",
        description="<p>Bring an apron.</p>",
        postcode=postcode_in("NE1 4"),
    )
    backend.index()

    def found(text):
        query = SearchQuery(place=city, radius_miles=3, text=text)
        return titles(backend.search(query, reindex=False))

    assert found("swimming") == ["Riverside swimming"]
    assert found("SWIM") == ["Riverside swimming"]
    assert found("paint") == ["Art club"]
    assert found("apron art") == ["Art club"]
    assert found("apron swimming") == []
    assert found("a*") == []
    assert found("%") == []  # what a family types is matched as it is, never as a pattern
    assert found("_") == []
    assert found("swimm_ng") == []
    assert found("") == ["Art club", "Riverside swimming"]


def test_by_relevance_a_word_in_the_name_beats_one_further_down(backend, city, org_a):
    near, far = postcode_in("NE1 4"), postcode_in("NE1 8")
    ShortBreakServicePageFactory(
        organisation=org_a,
        title="Saturday club",
        summary="Games and crafts.",
        description="<p>We also go swimming.</p>",
        postcode=near,
    )
    ShortBreakServicePageFactory(
        organisation=org_a, title="Swimming lessons", summary="In a warm pool.", postcode=far
    )
    ShortBreakServicePageFactory(
        organisation=org_a, title="Pool party", summary="Swimming and games.", postcode=far
    )

    def ordered(sort):
        query = SearchQuery(place=city, radius_miles=5, text="swimming", sort=sort)
        return titles(backend.search(query))

    assert ordered(Sort.RELEVANCE) == ["Swimming lessons", "Pool party", "Saturday club"]
    assert ordered(Sort.DISTANCE)[0] == "Saturday club"


def test_results_are_paged(backend, city, org_a):
    for n in range(5):
        ShortBreakServicePageFactory(
            organisation=org_a, title=f"Scheme {n}", postcode=postcode_in("NE1 4")
        )
    backend.index()
    results = backend.search(SearchQuery(place=city, radius_miles=3, page=2, page_size=2), False)
    assert results.total == 5
    assert titles(results) == ["Scheme 2", "Scheme 3"]
    last = backend.search(SearchQuery(place=city, radius_miles=3, page=3, page_size=2), False)
    assert titles(last) == ["Scheme 4"]
    beyond = SearchQuery(place=city, radius_miles=3, page=99, page_size=2)
    assert backend.search(beyond, False).matches == []


def test_without_a_place_every_public_listing_matches_by_name(backend, org_a):
    ShortBreakServicePageFactory(organisation=org_a, title="Beta", postcode=postcode_in("NE1 4"))
    ShortBreakServicePageFactory(organisation=org_a, title="Alpha", postcode=postcode_in("NE46 3"))
    results = backend.search(SearchQuery())
    assert titles(results) == ["Alpha", "Beta"]
    assert results.radius_miles is None
    assert results.tried_radii == []
    assert results.message == ""
    assert [m.distance_miles for m in results.matches] == [None, None]


# --- both backends at once -----------------------------------------------------------------------


def comparable(results):
    data = asdict(results)
    data.pop("backend")
    for match in data["matches"]:
        match.pop("listing")
    return data


def test_both_backends_give_identical_results_for_a_mixed_directory(
    engine_settings, city, village, org_a, org_b
):
    hexham = "NE46 1"
    for n, sector in enumerate(["NE1 4", "NE1 3", "NE4 5", "NE46 3", "NE61 1", "NE48 2"]):
        ShortBreakServicePageFactory(
            organisation=org_a if n % 2 else org_b,
            title=f"Venue {n}",
            postcode=postcode_in(sector),
            comes_to_family=n % 3 == 0,
            travel_radius_miles=8 if n % 3 == 0 else None,
        )
        InclusiveClubPageFactory(organisation=org_b, postcode=postcode_in(sector))
    for radius in (2, 10, 30):
        PersonalAssistantPageFactory(
            title=f"PA travelling {radius}",
            postcode=postcode_in(hexham),
            travel_radius_miles=radius,
        )
    outreach = ShortBreakServicePageFactory(
        organisation=org_a,
        title="Outreach",
        postcode=postcode_in("NE1 4"),
        at_venue=False,
        comes_to_family=True,
        travel_radius_miles=1,
    )
    outreach.served_local_authorities.add(LocalAuthority.objects.get(code="E06000057"))
    outreach.save()
    stale = ShortBreakServicePageFactory(organisation=org_a, postcode=postcode_in("NE1 4"))
    ListingStatus.objects.filter(listing_id=stale.pk).update(
        assured_date=today() - datetime.timedelta(weeks=20)
    )
    Need.objects.get(slug="adhd").listings.add(stale)
    FundingRoute.objects.get(slug="self-funded").listings.add(outreach)
    rebuild()
    queries = [SearchQuery()]
    for place in (city, village):
        for mode in Mode:
            for sort in Sort:
                queries.append(SearchQuery(place=place, mode=mode, sort=sort))
        queries += [
            SearchQuery(place=place, radius_miles=7, page_size=3, page=2),
            SearchQuery(place=place, filters=Filters(needs=("autism",), funding=("self-funded",))),
            SearchQuery(place=place, text="club", mode=Mode.GO),
        ]
    for query in queries:
        embedded = EmbeddedBackend().search(query)
        engine = EngineBackend().search(query)
        assert comparable(engine) == comparable(embedded), query
    assert any(EmbeddedBackend().search(q).total > 3 for q in queries)
