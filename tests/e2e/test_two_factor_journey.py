"""A broker's first sign-in to the admin, in a real browser: after the password they set up an
authenticator app (scanning the QR code, or typing the key shown as text), keep their backup
codes, and next time sign in with the app's code. axe-core finds nothing wrong on any of the
two-factor pages, their error states included."""

import base64
import re

import pytest
from django_otp.oath import totp

from core.roles import BROKERS
from tests.helpers import PASSWORD, make_user

from .axe import describe_violations, run_axe
from .conftest import playwright_expect

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def assert_accessible(page):
    violations = run_axe(page)
    assert not violations, describe_violations(page.url, violations)


def code_from_key(key_text: str, drift: int = 0) -> str:
    """What an authenticator app shows for the key typed in by hand."""
    key = key_text.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(base64.b32decode(key), drift=drift):06d}"


def sign_in_with_password(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("bea")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_broker_sets_up_two_factor_sign_in_then_signs_in_with_the_apps_code(
    page, site, new_browser_page
):
    make_user("bea", BROKERS, first_name="Bea", last_name="Broker")

    sign_in_with_password(page)
    expect(page).to_have_url(re.compile(r"/admin/two-factor/set-up/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Security code").fill("000000")
    page.get_by_role("button", name="Finish setting up").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)

    key = page.locator("code.two-factor-key").inner_text()
    page.get_by_label("Security code").fill(code_from_key(key))
    page.get_by_role("button", name="Finish setting up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your backup codes")
    expect(page.locator("ol.two-factor-backup-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # Next time (another browser): the password, then the code (a later one: each code works
    # once).
    page = new_browser_page()
    sign_in_with_password(page)
    expect(page).to_have_url(re.compile(r"/admin/two-factor/verify/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    assert_accessible(page)
    page.get_by_label("Security code").fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Security code").fill(code_from_key(key, drift=1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/admin/two-factor/")
    expect(page.get_by_text("Two-factor sign-in is on")).to_be_visible()
    violations = run_axe(page, within="main")
    assert not violations, describe_violations(page.url, violations)
