"""The family's search page: a postcode in, results with distance and badges out; every bad
input is a clear message; searches that find too little are recorded anonymously."""

import datetime

import pytest

from core.dates import today
from directory.models import ListingStatus
from search.models import UnmetDemand
from tests.factories.directory import PersonalAssistantPageFactory, ShortBreakServicePageFactory
from tests.helpers import postcode_in

pytestmark = pytest.mark.django_db


def test_the_search_page_invites_a_postcode(client, directory):
    response = client.get("/search/")
    assert response.status_code == 200
    assert b"Your postcode" in response.content
    assert b"govuk-error-summary" not in response.content


def test_a_city_family_sees_nearby_places_and_people_who_come_to_them(client, org_a):
    ShortBreakServicePageFactory(
        organisation=org_a, title="Quayside club", postcode=postcode_in("NE1 3")
    )
    PersonalAssistantPageFactory(
        title="Sam, PA", postcode=postcode_in("NE4 5"), travel_radius_miles=10
    )
    response = client.get("/search/", {"postcode": postcode_in("NE1 4").lower().replace(" ", "")})
    content = response.content.decode()
    assert "Quayside club" in content
    assert "Sam, PA" in content
    assert "Comes to you" in content
    assert "You travel" in content
    assert "a town or city area" in content
    assert "postcode density" in content


def test_a_rural_search_says_it_looked_further(client, org_a):
    ShortBreakServicePageFactory(
        organisation=org_a, title="Hexham scheme", postcode=postcode_in("NE46 3")
    )
    content = client.get("/search/", {"postcode": postcode_in("NE48 2")}).content.decode()
    assert "Hexham scheme" in content
    assert "Nothing close enough within 10 miles" in content
    assert "a rural area" in content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"postcode": ""}, "Enter your postcode, like NE46 3NR"),
        ({"postcode": "banana"}, "We could not find a place called banana"),
        ({"postcode": "ZZ9"}, "Enter a full postcode in the right format"),  # no such district
        ({"postcode": "NE99 9ZZ"}, "We could not find NE99 9ZZ"),
        ({"postcode": "EH1 1YZ"}, "outside England"),
        ({"postcode": "NE1 4ST", "age": "nine"}, "Enter the age as a number, like 9"),
        ({"postcode": "NE1 4ST", "age": "40"}, "Enter an age from 0 to 25"),
        ({"postcode": "NE1 4ST", "mode": "teleport"}, "Select a valid choice"),
        ({"postcode": "NE1 4ST", "need": "no-such-need"}, "Select a valid choice"),
    ],
)
def test_bad_search_input_is_a_clear_message_never_an_error_page(
    client, directory, params, message
):
    response = client.get("/search/", params)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "govuk-error-summary" in content
    assert "<title>Error:" in content


@pytest.mark.parametrize("page", ["0", "-3", "x", "99999999999999999999", "500"])
def test_nonsense_or_huge_page_numbers_never_break_the_results(client, org_a, page):
    ShortBreakServicePageFactory(organisation=org_a, postcode=postcode_in("NE1 4"))
    response = client.get("/search/", {"postcode": postcode_in("NE1 4"), "page": page})
    assert response.status_code == 200


def test_a_search_that_finds_too_little_is_recorded_without_personal_data(client, org_a):
    postcode = postcode_in("NE48 2")
    client.get(
        "/search/", {"postcode": postcode, "age": "9", "need": ["autism"], "day": ["6", "7"]}
    )
    (record,) = UnmetDemand.objects.all()
    assert record.outcode == "NE48"
    assert record.local_authority_code == "E06000057"
    assert record.rural is True
    assert record.age_band == "5-10"
    assert record.needs == "autism"
    assert record.days == "sat,sun"
    assert record.source == "search"
    assert record.results == 0
    stored = " ".join(str(v) for v in UnmetDemand.objects.values().first().values())
    assert postcode not in stored


def test_a_search_with_enough_results_is_not_recorded_as_unmet(client, org_a):
    for n in range(6):
        ShortBreakServicePageFactory(
            organisation=org_a, title=f"Scheme {n}", postcode=postcode_in("NE1 4")
        )
    client.get("/search/", {"postcode": postcode_in("NE1 4")})
    assert not UnmetDemand.objects.exists()


def test_search_links_are_shareable_and_keep_the_filters_across_pages(client, org_a):
    for n in range(25):
        ShortBreakServicePageFactory(
            organisation=org_a, title=f"Scheme {n:02d}", postcode=postcode_in("NE1 4")
        )
    response = client.get("/search/", {"postcode": postcode_in("NE1 4"), "age": "9"})
    content = response.content.decode()
    assert "Page 1 of 2" in content
    assert "age=9" in content and "page=2" in content


def test_commissioners_see_unmet_demand_and_nobody_else_does(
    client, org_a, moderator, provider_a, broker
):
    from tests.helpers import assert_denied

    client.get("/search/", {"postcode": postcode_in("NE48 2"), "age": "9"})
    client.force_login(moderator)
    response = client.get("/admin/unmet_demand/")
    assert response.status_code == 200
    assert b"NE48" in response.content
    assert b"/admin/unmet_demand/new/" not in response.content  # nobody types these in
    for user in (provider_a, broker):
        client.force_login(user)
        assert_denied(client.get("/admin/unmet_demand/"))


def test_each_filter_choice_shows_how_many_results_have_it(client, org_a):
    ShortBreakServicePageFactory(organisation=org_a, postcode=postcode_in("NE1 4"))
    content = client.get("/search/", {"postcode": postcode_in("NE1 4")}).content.decode()
    assert "Autism (1)" in content
    assert "Short break service (1)" in content
    assert "Personal assistant (0)" in content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"open_at": "teatime"}, "Enter a time, like 16:30"),
        ({"max_cost": "cheap"}, "Enter an amount in pounds, like 15"),
        ({"max_cost": "-5"}, "Enter an amount from £0 to £1,000"),
        ({"day": "9"}, "Select a valid choice"),
        ({"when": "weekends"}, "Select a valid choice"),
    ],
)
def test_bad_values_in_the_extra_filters_are_clear_messages(client, directory, params, message):
    response = client.get("/search/", {"postcode": postcode_in("NE1 4"), **params})
    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert '<details class="govuk-details" open>' in content


def test_the_extra_filters_narrow_the_results(client, org_a):
    ShortBreakServicePageFactory(
        organisation=org_a, title="Overnight house", postcode=postcode_in("NE1 4"), overnight=True
    )
    ShortBreakServicePageFactory(
        organisation=org_a, title="Day club", postcode=postcode_in("NE1 4"), overnight=False
    )
    content = client.get(
        "/search/", {"postcode": postcode_in("NE1 4"), "overnight": "on"}
    ).content.decode()
    assert "Overnight house" in content
    assert "Day club" not in content


def test_the_results_map_shows_venues_but_never_a_personal_assistants_home(client, org_a):
    venue = ShortBreakServicePageFactory(organisation=org_a, postcode=postcode_in("NE1 4"))
    pa = PersonalAssistantPageFactory(postcode=postcode_in("NE1 3"), travel_radius_miles=10)
    content = client.get("/search/", {"postcode": postcode_in("NE1 4")}).content.decode()
    assert "data-results-map" in content
    assert f'data-result-lat="{venue.latitude:f}"' in content
    assert f"{pa.latitude:f}" not in content
    assert "results-map.js" in content


def test_the_distance_a_family_reads_is_geopys_geodesic_distance(org_a):
    from geopy.distance import geodesic

    from search.places import place_from_postcode
    from search.query import Match, SearchQuery, SearchResults, miles_words
    from search.views import attach_listings

    listing = ShortBreakServicePageFactory(organisation=org_a, postcode=postcode_in("NE1 8"))
    place, _ = place_from_postcode(postcode_in("NE46 3"))
    exact = geodesic((place.latitude, place.longitude), (listing.latitude, listing.longitude))
    ranked = round(exact.miles, 1) + 1.0  # as if the ranking distance had come out differently
    match = Match(
        listing_id=listing.pk,
        distance_miles=ranked,
        comes_to_you=False,
        reasons=[f"You travel {miles_words(ranked)} to get there"],
    )
    results = SearchResults(SearchQuery(place=place), [match], 1, 10.0, [10.0], {}, "embedded")
    attach_listings(results)
    assert match.distance_miles == round(exact.miles, 1)
    assert match.reasons == [f"You travel {miles_words(round(exact.miles, 1))} to get there"]


def test_a_family_can_ask_for_kitemarked_places_only(client, org_a):
    import datetime

    from core.dates import today
    from directory.models import ListingStatus

    marked = ShortBreakServicePageFactory(
        organisation=org_a, title="Kitemarked club", postcode=postcode_in("NE1 4")
    )
    ShortBreakServicePageFactory(
        organisation=org_a, title="Other club", postcode=postcode_in("NE1 4")
    )
    ListingStatus.objects.filter(listing=marked).update(
        kitemark_expires_on=today() + datetime.timedelta(days=90)
    )
    query = {"postcode": postcode_in("NE1 4"), "kitemarked": "on"}
    content = client.get("/search/", query).content.decode()
    assert "Kitemarked club" in content
    assert "Other club" not in content
    assert "Kitemark from young people" in content


def test_a_paused_service_says_in_the_results_when_it_takes_bookings_again(client, org_a):
    paused = ShortBreakServicePageFactory(
        organisation=org_a, title="Quayside club", postcode=postcode_in("NE1 3")
    )
    until = today() + datetime.timedelta(days=10)
    ListingStatus.objects.filter(listing=paused).update(paused_until=until)
    content = client.get("/search/", {"postcode": postcode_in("NE1 4")}).content.decode()
    assert "Quayside club" in content
    assert f"Not taking bookings until {until:%-d %B %Y}" in content


def test_what_a_provider_types_is_shown_as_text_in_a_result_never_as_markup(client, org_a):
    """The result cards are written in Python (`search.cards`): a title or summary with
    markup in it is escaped everywhere it appears: the heading, the map's data, the button's
    hidden words."""
    ShortBreakServicePageFactory(
        organisation=org_a,
        title='Tom & Jerry\'s "club" <script>alert(1)</script>',
        summary="<b>Bold</b> claims & more",
        postcode=postcode_in("NE1 3"),
    )
    content = client.get("/search/", {"postcode": postcode_in("NE1 4")}).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "<b>Bold</b>" not in content
    escaped = "Tom &amp; Jerry&#x27;s &quot;club&quot; &lt;script&gt;alert(1)&lt;/script&gt;"
    assert f">{escaped}</a></h3>" in content
    assert f'data-result-title="{escaped}"' in content
    assert f'<span class="govuk-visually-hidden">: {escaped}</span>' in content
    assert "&lt;b&gt;Bold&lt;/b&gt; claims &amp; more" in content
