"""Too many tries, in a real browser: a locked sign-in and a throttled public form each say
plainly how long to wait and are accessible (axe-core, WCAG 2.2 AA)."""

import re

import pytest

from tests.helpers import PASSWORD, make_user

from .axe import describe_violations, run_axe
from .conftest import playwright_expect

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def assert_accessible(page):
    violations = run_axe(page)
    assert not violations, describe_violations(page.url, violations)


def unexpected(problems) -> list[str]:
    """The browser reports the 429 answer itself as a console error: that one is the point."""
    return [p for p in problems.all() if "status of 429" not in p]


def test_a_locked_sign_in_says_how_long_to_wait_and_offers_a_reset(page, site, settings, problems):
    settings.AXES_ENABLED = True  # off for the rest of the suite (config/settings/test.py)
    make_user("ruby", email="ruby@example.org")
    page.goto("/account/sign-in/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Email address or username").fill("ruby@example.org")
        page.get_by_label("Password").fill("not the password")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Sign in").click()
    assert navigation.value.status == 429

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Too many tries: wait before signing in again")
    expect(page.get_by_text("you cannot sign in for 15 minutes")).to_be_visible()
    expect(page.get_by_role("link", name="reset your password")).to_have_attribute(
        "href", "/account/reset/"
    )
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    assert not unexpected(problems), "\n".join(unexpected(problems))

    # Even the right password is refused until the wait is over.
    page.goto("/account/sign-in/")
    page.get_by_label("Email address or username").fill("ruby@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(heading).to_have_text("Too many tries: wait before signing in again")


def test_a_throttled_password_reset_keeps_the_form_and_says_how_long_to_wait(
    page, site, settings, problems
):
    settings.THROTTLES = {
        **settings.THROTTLES,
        "password_reset": {"per_address": 1, "per_account": 1, "minutes": 60},
    }
    for expected in (200, 429):
        page.goto("/account/reset/")
        page.get_by_label("Email address").fill("someone@example.org")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Send me a link").click()
        assert navigation.value.status == expected
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(summary).to_contain_text(re.compile(r"Wait \d+ minutes?, then try again"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_label("Email address")).to_have_value("someone@example.org")
    assert_accessible(page)
    assert not unexpected(problems), "\n".join(unexpected(problems))
