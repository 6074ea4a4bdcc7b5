"""Commissioners read the sufficiency dashboard in a real browser, with and without
JavaScript: its filters, its tables and charts, "Refresh now" and a table's CSV, with axe-core
on the admin content of each page, as rendered either way."""

import re

import pytest

from core.roles import COUNCIL_MODERATORS
from tests.helpers import make_user

from .axe import assert_accessible
from .conftest import playwright_expect
from .signing_in import sign_in_to_admin

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page):
    sign_in_to_admin(page, "cara")


@pytest.fixture
def commissioner(site):
    return make_user("cara", COUNCIL_MODERATORS, first_name="Cara", last_name="Commissioner")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_commissioner_filters_the_dashboard_and_downloads_a_tables_figures(
    page, nojs_page, listings, commissioner, ne_gazetteer, javascript
):
    tab = page if javascript else nojs_page
    sign_in(tab)
    tab.goto("/admin/sufficiency/")
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Sufficiency")
    expect(tab.locator("table caption").first).to_be_visible()
    expect(tab.locator("svg[role=img]").first).to_be_visible()
    gaps = tab.locator("[data-gaps-map]")
    if javascript:  # the map of gaps is drawn, with a marker a ward, before axe runs
        expect(gaps).to_be_visible()
        expect(gaps.locator(".app-gap-marker").first).to_be_visible()
        expect(gaps.locator(".leaflet-control-attribution a").first).to_be_visible()
    else:  # without JavaScript the table is the content: the map stays hidden
        expect(gaps).to_be_hidden()
    assert_accessible(tab)
    expect(tab.get_by_text(re.compile(r"counted as the page was made")).first).to_be_visible()

    # "Refresh now" queues the daily count (run at once by the tests' task backend).
    tab.get_by_role("button", name="Refresh now").click()
    expect(tab.get_by_text(re.compile(r"being counted again"))).to_be_visible()
    expect(
        tab.get_by_text(re.compile(r"Figures as at .*\(the daily count\)")).first
    ).to_be_visible()
    assert_accessible(tab)

    tab.get_by_label("Kind of service").select_option(label="Personal assistant")
    tab.get_by_label("From (month)").fill("not a month")
    tab.get_by_role("button", name="Show figures").click()
    expect(tab).to_have_url(re.compile(r"kind=personal_assistant"))
    expect(tab.get_by_text(re.compile(r"From \(month\)")).first).to_be_visible()
    assert_accessible(tab)

    link = tab.locator("a[href*='download=']").first
    href = link.get_attribute("href")
    assert "kind=personal_assistant" in href
    response = tab.request.get(href if href.startswith("/") else f"/admin/sufficiency/{href}")
    assert response.status == 200 and "text/csv" in response.headers["content-type"]
    assert response.text().strip()
