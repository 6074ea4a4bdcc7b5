"""Wherever a family is, there is a next step: a search box on the home page, "Ask for help
finding support" beside every search and listing, "Add to shortlist" on a listing page that
comes back to the same place, a chosen place kept while refining, and words that read right
(one place, not "1 places")."""

import re

import pytest
from django.urls import reverse

from directory.choices import CapacityUnit, CostUnit
from gazetteer.models import PlaceName
from search.shortlist import ids_in
from tests.factories.directory import InclusiveClubPageFactory, ShortBreakServicePageFactory
from tests.helpers import postcode_in

pytestmark = pytest.mark.django_db

ASK_FOR_HELP = 'href="/requests/">Ask for help finding support</a>'


@pytest.fixture
def club(org_a):
    return InclusiveClubPageFactory(
        organisation=org_a,
        title="Hexham Friday club",
        postcode=postcode_in("NE46 3"),
        capacity_now=1,
        capacity_unit=CapacityUnit.PLACES,
        cost_unit=CostUnit.FREE,
        cost_amount=None,
        cost_notes="Free.",
    )


def test_the_home_page_has_a_search_box_for_a_postcode_or_a_place(client, directory):
    content = client.get("/").content.decode()
    form = re.search(r'<form method="get" action="/search/".*?</form>', content, re.S).group(0)
    assert 'name="postcode"' in form
    assert "Your postcode, or the name of your town or village" in form
    assert ASK_FOR_HELP in content


def test_results_no_results_and_listing_pages_offer_help_from_a_broker(client, club):
    results = client.get("/search/", {"postcode": postcode_in("NE46 3")}).content.decode()
    assert "Hexham Friday club" in results and ASK_FOR_HELP in results
    nothing = client.get(
        "/search/", {"postcode": postcode_in("NE46 3"), "kind": "personal_assistant"}
    ).content.decode()
    assert "0 results" in nothing and ASK_FOR_HELP in nothing
    assert ASK_FOR_HELP in client.get(club.url).content.decode()
    assert client.get("/requests/").status_code == 302  # signing in (or up) comes first


def test_nothing_found_suggests_removing_only_filters_that_were_chosen(client, directory):
    near = postcode_in("NE48 2")
    plain = client.get("/search/", {"postcode": near}).content.decode()
    assert "0 results" in plain
    assert "Remove “" not in plain and "fewer filters" not in plain
    filtered = client.get("/search/", {"postcode": near, "age": "7"}).content.decode()
    assert "Remove “Age of your child or young person: 7”" in filtered


def test_a_listing_page_adds_to_the_shortlist_and_comes_back_to_the_same_place(client, club):
    page = client.get(club.url).content.decode()
    assert f'action="{reverse("search:shortlist_add", args=[club.pk])}" id="shortlist"' in page
    response = client.post(
        reverse("search:shortlist_add", args=[club.pk]), {"next": f"{club.url}#shortlist"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{club.url}#shortlist"
    assert club.pk in ids_in(response.wsgi_request)


def test_adding_from_the_results_comes_back_to_that_result(client, club):
    results = client.get("/search/", {"postcode": postcode_in("NE46 3")}).content.decode()
    assert f'id="result-{club.pk}"' in results
    assert re.search(rf'name="next" value="/search/\?[^"]*#result-{club.pk}"', results)


def test_a_chosen_place_is_kept_while_refining_paging_and_sorting(client, club):
    chosen = PlaceName.objects.get(name="Haltwhistle", kind="town")
    first = client.get("/search/", {"postcode": "Haltwh", "place": chosen.ref}).content.decode()
    assert "for Haltwhistle (Northumberland)" in first
    assert f'<input type="hidden" name="place" value="{chosen.ref}">' in first
    # The form sends the hidden place with whatever the family changes.
    refined = client.get(
        "/search/", {"postcode": "Haltwh", "place": chosen.ref, "age": "9", "sort": "checked"}
    ).content.decode()
    assert "for Haltwhistle (Northumberland)" in refined
    assert "Did you mean" not in refined


def test_the_search_shows_what_it_did_ticked_when_the_family_left_it_out(client, club):
    content = client.get("/search/", {"postcode": postcode_in("NE46 3")}).content.decode()
    assert re.search(r'name="mode"[^>]*value="both"[^>]*checked', content)
    assert re.search(r'<option value="distance"[^>]*selected', content)


def test_one_place_one_kind_and_a_free_cost_read_right(client, club):
    page = client.get(club.url).content.decode()
    assert "1 place" in page and "1 places" not in page
    assert "Inclusive clubs and activities</a>" in page
    assert "activitys" not in page
    cost = re.search(r"<dt[^>]*>Cost</dt><dd[^>]*>(.*?)</dd>", page).group(1)
    assert cost == "Free"
    results = client.get("/search/", {"postcode": postcode_in("NE46 3")}).content.decode()
    assert "Space now: 1 place<" in results or "Space now: 1 place\n" in results


def test_space_reads_right_for_every_count_and_unit(org_a):
    listing = ShortBreakServicePageFactory(organisation=org_a)
    for now, unit, words in [
        (None, CapacityUnit.PLACES, "Ask the provider"),
        (0, CapacityUnit.PLACES, "Full at the moment"),
        (1, CapacityUnit.PLACES, "1 place"),
        (2, CapacityUnit.PLACES, "2 places"),
        (1, CapacityUnit.HOURS, "1 hour a week"),
        (10, CapacityUnit.HOURS, "10 hours a week"),
    ]:
        listing.capacity_now, listing.capacity_unit = now, unit
        assert listing.space_now_display == words


def test_the_shortlist_shows_ages_cost_space_dbs_and_last_checked_and_how_long_it_is_kept(
    client, club, settings
):
    from django.utils import dateformat

    from directory.badges import dbs_badge
    from directory.models import ListingStatus

    status = ListingStatus.objects.get(listing=club)
    client.post(reverse("search:shortlist_add", args=[club.pk]))
    page = client.get(reverse("search:shortlist")).content.decode()
    row = page.split(">Hexham Friday club</a>", 1)[1].split("</li>", 1)[0]
    for key, value in [
        ("Ages", club.ages_display),
        ("Cost", "Free"),
        ("Space now", "1 place"),
        ("DBS check", dbs_badge(status).label),
        ("Last checked", dateformat.format(status.assured_date, "j F Y")),
    ]:
        assert f">{key}</dt>" in row, key
        assert value in row
    days = settings.SESSION_COOKIE_AGE // 86_400
    assert f"We keep this list for {days} days after you last add or remove something" in page
    assert "for this browser only: a cookie tells us it is yours" in page
    # Printed, it is just the list: the link, the sign-in note and the buttons are left out.
    for printed_apart in ('class="govuk-form-group app-no-print"', 'class="app-no-print">'):
        assert printed_apart in page
    assert "until you close it" not in page
    shared = client.get(reverse("search:shortlist_shared"), {"ids": str(club.pk)})
    assert ">Space now</dt>" in shared.content.decode()


def test_once_added_the_listing_and_its_result_say_added_instead_of_offering_it_again(client, club):
    add = reverse("search:shortlist_add", args=[club.pk])
    client.post(add, {"next": f"{club.url}#shortlist"})
    page = client.get(club.url).content.decode()
    assert 'id="shortlist"' in page and "Added to your shortlist" in page
    assert f'action="{add}"' not in page
    assert (
        f'<a class="govuk-link" href="{reverse("search:shortlist")}">See your shortlist</a>' in page
    )
    results = client.get("/search/", {"postcode": postcode_in("NE46 3")}).content.decode()
    result = results.split(f'id="result-{club.pk}"', 1)[1].split("</li>\n", 1)[0]
    assert "Added to your shortlist" in result and f'action="{add}"' not in result
