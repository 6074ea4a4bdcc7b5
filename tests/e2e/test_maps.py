"""The maps as a family sees them: initialised (tiles may not load offline; the controls,
marker and attribution are there), checked by axe-core for WCAG 2.2 AA, with markers and
controls big enough to press (2.5.8 target size, 24 by 24 CSS pixels at least)."""

import pytest

from .axe import describe_violations, run_axe
from .conftest import playwright_expect

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MIN_TARGET = 24


def initialised(page, region_name: str):
    region = page.get_by_role("region", name=region_name)
    expect(region).to_be_visible()
    expect(page.locator(".leaflet-marker-icon").first).to_be_visible()
    expect(page.locator(".leaflet-control-attribution")).to_be_visible()
    expect(page.locator(".leaflet-control-zoom-in")).to_be_visible()
    return region


def assert_targets_big_enough(page):
    for selector in (
        ".leaflet-marker-icon",
        ".leaflet-control-zoom-in",
        ".leaflet-control-zoom-out",
    ):
        for element in page.locator(selector).all():
            box = element.bounding_box()
            assert box and box["width"] >= MIN_TARGET and box["height"] >= MIN_TARGET, (
                selector,
                box,
            )


def test_a_listing_map_passes_axe_as_rendered(page, listings):
    page.goto(listings.short_break.get_url())
    initialised(page, "Map showing where")
    violations = run_axe(page)
    assert not violations, describe_violations(page.url, violations)
    assert_targets_big_enough(page)


def test_the_results_map_passes_axe_as_rendered(page, listings):
    page.goto("/search/?postcode=NE46+3NR&mode=both")
    initialised(page, "Map of the venues in these results")
    violations = run_axe(page)
    assert not violations, describe_violations(page.url, violations)
    assert_targets_big_enough(page)
