"""A provider updates a service's space now and then closes it, from their dashboard, in a
real Chromium with and without JavaScript: no moderator is involved, families see the new
space at once, and the closed service leaves the directory. Every page passes axe-core."""

import datetime
import re

import pytest

from core.dates import today
from directory.services import organisation_add_editor
from tests.helpers import make_user

from .axe import assert_accessible
from .conftest import playwright_expect
from .signing_in import sign_in_to_admin

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def provider(listings, settings):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatars fetched from the internet
    user = make_user("pat", first_name="Pat", last_name="Provider", email="pat@example.org")
    organisation_add_editor(organisation=listings.organisation, user=user)
    return user


def named(action: str, listing) -> re.Pattern:
    """A control's accessible name: the action, then the listing's title for screen readers
    (Chromium may put a space before the hidden part)."""
    return re.compile(rf"^{re.escape(action)}\s*:\s*{re.escape(listing.title)}$")


def close_and_update_space(page, listing):
    sign_in_to_admin(page, "pat")
    assert_accessible(page)

    page.get_by_label(f"Space now for {listing.title}").fill("2")
    page.get_by_role("button", name=f"Update space now for {listing.title}").click()
    expect(page.get_by_text(f"Space now for {listing.title}: 2 places.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=named("Close, pause or reopen", listing)).click()
    assert_accessible(page)
    # A pause date in the past is refused, clearly.
    page.get_by_role("radio", name="Not until a date").check()
    page.get_by_label("If paused: the date you take bookings again").fill("2020-01-01")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("must be in the future")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("radio", name="No, the service has closed").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"{listing.title} is closed")).to_be_visible()
    expect(page.get_by_text("Closed: hidden from families")).to_be_visible()
    assert_accessible(page)


def test_a_provider_updates_space_and_closes_a_service_from_the_dashboard(page, listings, provider):
    listing = listings.short_break
    close_and_update_space(page, listing)

    page.goto(listing.get_url())
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def test_the_same_works_without_javascript_and_a_paused_service_shows_its_date(
    nojs_page, listings, provider
):
    page, listing = nojs_page, listings.club
    close_and_update_space(page, listing)

    # Reopen from the dashboard, then pause until a date.
    page.get_by_role("button", name=named("Reopen", listing)).click()
    expect(page.get_by_text(f"{listing.title} is open again")).to_be_visible()
    page.get_by_role("link", name=named("Close, pause or reopen", listing)).click()
    page.get_by_role("radio", name="Not until a date").check()
    until = today() + datetime.timedelta(days=14)
    page.get_by_label("If paused: the date you take bookings again").fill(until.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_text(f"Shown as not taking bookings until {until:%-d %B %Y}")
    ).to_be_visible()

    page.goto(listing.get_url())
    expect(page.get_by_text(f"Not taking bookings until {until:%-d %B %Y}.")).to_be_visible()
    expect(page.get_by_text("2 places")).to_be_visible()
    assert_accessible(page)
