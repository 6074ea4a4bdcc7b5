"""A family always has a next step, in Chromium, with and without JavaScript, and axe-core
finds nothing on the way: the home page's search box leads to results, a listing goes on the
shortlist from its own page (back at the same place on the page), and a search that finds
nothing leads to asking a broker for help."""

import re

import pytest

from core.roles import FAMILIES
from tests.helpers import PASSWORD, make_user

from .axe import describe_violations, run_axe
from .conftest import playwright_expect

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def browser_page(request, javascript: bool):
    return request.getfixturevalue("page" if javascript else "nojs_page")


def assert_accessible(page, javascript: bool):
    """axe-core finds nothing, with JavaScript on or off (`javascript` names which, for the
    reader: run_axe checks the page as it was rendered either way)."""
    violations = run_axe(page)
    assert not violations, describe_violations(page.url, violations)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_family_searches_from_the_home_page_box_and_sees_results_and_a_way_to_ask_for_help(
    request, listings, javascript
):
    page = browser_page(request, javascript)
    page.goto("/")
    assert_accessible(page, javascript)
    search = page.get_by_role("search", name="Find short breaks near you")
    search.get_by_label("Your postcode, or the name of your town or village").fill("NE46 3NR")
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/search/\?postcode=NE46"))
    expect(page.get_by_role("heading", name=re.compile(r"results? for NE46 3"))).to_be_visible()
    expect(page.get_by_role("link", name="Hexham Saturday Club")).to_be_visible()
    expect(page.get_by_role("link", name="Ask for help finding support")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_search_that_finds_nothing_leads_to_asking_a_broker(request, listings, javascript):
    make_user("fran", FAMILIES, first_name="Fran", email="fran@example.org")
    page = browser_page(request, javascript)
    page.goto("/search/?postcode=NE46+3NR&q=trampolining+on+mars")
    expect(page.get_by_role("heading", name="0 results for NE46 3")).to_be_visible()
    remove = page.get_by_role(
        "link", name="Remove “Words to search for (optional): trampolining on mars”"
    )
    expect(remove).to_be_visible()
    assert_accessible(page, javascript)

    page.get_by_role("link", name="Ask for help finding support").click()
    expect(page).to_have_url(re.compile(r"/account/sign-in/"))
    page.get_by_label("Email address").fill("fran@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/requests/$"))
    expect(page.get_by_role("button", name="Ask for support")).to_be_visible()
    assert_accessible(page, javascript)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_family_adds_a_listing_to_their_shortlist_from_its_page_and_finds_it_there(
    request, listings, javascript
):
    page = browser_page(request, javascript)
    page.goto("/search/?postcode=NE46+3NR")
    page.get_by_role("link", name="Hexham Saturday Club").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hexham Saturday Club")
    listing = page.url
    assert_accessible(page, javascript)

    page.get_by_role("button", name=re.compile(r"^Add to shortlist")).click()
    expect(page).to_have_url(re.compile(re.escape(listing) + r"#shortlist$"))
    expect(page.get_by_text("Added to your shortlist")).to_be_visible()
    assert_accessible(page, javascript)

    page.get_by_role("link", name="See your shortlist").click()
    expect(page.get_by_role("link", name="Hexham Saturday Club")).to_be_visible()
    expect(page.get_by_text(re.compile(r"cookie"))).to_be_visible()
    assert_accessible(page, javascript)
