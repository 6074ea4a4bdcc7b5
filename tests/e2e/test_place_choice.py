"""A family types a name that fits several places, chooses theirs from GOV.UK radios, then
refines their search: the place they chose stays, with JavaScript and without it. The choice
page and the results pass axe-core (WCAG 2.2 AA). The place names are the real gazetteer's,
loaded for Newcastle upon Tyne (NE) and Newcastle-under-Lyme (ST)."""

import re

import pytest
from django.core.management import call_command

from .axe import describe_violations, run_axe
from .conftest import playwright_expect

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TYNE = "Newcastle upon Tyne (Newcastle upon Tyne)"
LYME = "Newcastle under Lyme (Newcastle-under-Lyme)"


@pytest.fixture
def places(site, listings):
    call_command("load_gazetteer", areas=["NE", "ST"], verbosity=0)


def assert_accessible(tab):
    violations = run_axe(tab)
    assert not violations, describe_violations(tab.url, violations)


def choose_newcastle_then_refine(tab):
    tab.goto("/search/")
    tab.get_by_label("Your postcode, town or village").fill("Newcastle")
    tab.get_by_role("button", name="Search", exact=True).click()

    expect(tab.get_by_text("We found more than one place called Newcastle")).to_be_visible()
    choice = tab.get_by_role("group", name="We found more than one place called Newcastle")
    expect(choice.get_by_role("radio")).to_have_count(2)
    labels = choice.locator("label").all_inner_texts()
    assert labels == [TYNE, LYME]  # the one nearest the councils served first
    assert_accessible(tab)

    tab.get_by_label(TYNE).check()
    tab.get_by_role("button", name="Search near this place").click()
    results = re.compile(rf"results? for {re.escape(TYNE)}")
    expect(tab.get_by_role("heading", name=results)).to_be_visible()
    assert_accessible(tab)

    tab.get_by_label("Age of your child or young person").fill("10")
    tab.get_by_label("Sort by").select_option(label="Most recently checked")
    tab.get_by_role("button", name="Search", exact=True).click()

    expect(tab.get_by_role("heading", name=results)).to_be_visible()
    expect(tab.get_by_text("We found more than one place")).to_have_count(0)
    assert "age=10" in tab.url
    assert re.search(r"[?&]place=gn[0-9]+", tab.url)  # a link that can be shared


def test_a_family_chooses_which_newcastle_and_keeps_it_while_refining(page, nojs_page, places):
    choose_newcastle_then_refine(page)
    shared = page.url
    choose_newcastle_then_refine(nojs_page)
    # The address the family shares finds the same place in someone else's browser.
    nojs_page.context.clear_cookies()
    nojs_page.goto(shared)
    expect(
        nojs_page.get_by_role("heading", name=re.compile(rf"for {re.escape(TYNE)}"))
    ).to_be_visible()
