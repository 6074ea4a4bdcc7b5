"""A family always has a next step, in Chromium, with and without JavaScript, and axe-core
finds nothing on the way: the home page's search box leads to results, and a search that
finds nothing leads to asking a broker for help."""

import re

import pytest

from core.roles import FAMILIES
from tests.helpers import PASSWORD, make_user

from .conftest import describe_violations, playwright_expect, run_axe

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def browser_page(request, javascript: bool):
    return request.getfixturevalue("page" if javascript else "nojs_page")


def assert_accessible(page, javascript: bool):
    if javascript:  # axe-core runs as a script
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
    expect(page.get_by_role("heading", name=re.compile(r"results? near NE46 3"))).to_be_visible()
    expect(page.get_by_role("link", name="Hexham Saturday Club")).to_be_visible()
    expect(page.get_by_role("link", name="Ask for help finding support")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_search_that_finds_nothing_leads_to_asking_a_broker(request, listings, javascript):
    make_user("fran", FAMILIES, first_name="Fran", email="fran@example.org")
    page = browser_page(request, javascript)
    page.goto("/search/?postcode=NE46+3NR&q=trampolining+on+mars")
    expect(page.get_by_role("heading", name="0 results near NE46 3")).to_be_visible()
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
