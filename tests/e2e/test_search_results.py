"""The results page with services that cover the whole county: listed apart under their own
heading, with no distance claimed, accessible (axe-core finds nothing) with and without
JavaScript."""

import pytest

from .axe import describe_violations, run_axe
from .conftest import playwright_expect, publish_listing

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BELLINGHAM = "/search/?postcode=NE48+2AA"


@pytest.fixture
def county_service(listings, ne_gazetteer):
    from directory.models import ShortBreakServicePage
    from gazetteer.models import LocalAuthority

    service = publish_listing(
        listings.provider_page,
        ShortBreakServicePage,
        title="County sitting service",
        summary="Sitters who come to your home anywhere in Northumberland.",
        at_venue=False,
        comes_to_family=True,
        travel_radius_miles=5,
        postcode="NE1 8QH",
    )
    service.served_local_authorities.add(LocalAuthority.objects.get(code="E06000057"))
    service.save_revision().publish()
    return service


def test_county_wide_services_are_listed_apart_accessibly_with_and_without_javascript(
    page, nojs_page, county_service
):
    response = page.goto(BELLINGHAM)
    assert response.status == 200
    section = page.get_by_role("list", name="Services that cover all of Northumberland")
    expect(section).to_be_visible()
    expect(section.get_by_text("Covers all of Northumberland")).to_be_visible()
    expect(page.get_by_text("1 service covering all of Northumberland")).to_be_visible()
    page.wait_for_load_state("networkidle")
    violations = run_axe(page)
    assert not violations, describe_violations(page.url, violations)

    # The same page, server-rendered, without JavaScript.
    response = nojs_page.goto(BELLINGHAM)
    assert response.status == 200
    heading = nojs_page.get_by_role("heading", name="Services that cover all of Northumberland")
    expect(heading).to_be_visible()
    expect(nojs_page.get_by_role("link", name="County sitting service")).to_be_visible()
