"""Signing staff in to the admin in the browser tests, as they do: the password, then the code
from their authenticator app."""

import re
import time

from .conftest import playwright_expect


def authenticator_code(device) -> str:
    """The code the person's authenticator app shows: a time step the device has not yet
    accepted (a code works once), waiting for the next step if need be."""
    from django_otp.oath import TOTP

    while True:
        device.refresh_from_db()
        clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        now = clock.t()
        for ahead in (0, 1):  # the device accepts one step ahead
            if now + ahead > device.last_t:
                clock.drift = device.drift + ahead
                return f"{clock.token():0{device.digits}d}"
        time.sleep(1)


def sign_in_to_admin(page, username: str, password: str | None = None):
    """Sign in to the admin as staff do: the password, then the code from their authenticator
    app. Council staff, brokers and coordinators get an app set up for them first (their role
    requires one; tests/e2e/test_two_factor_journey.py sets one up through the pages)."""
    from django.contrib.auth import get_user_model

    from home.two_factor.rules import has_authenticator, must_use_second_factor
    from tests.helpers import PASSWORD, authenticator_for

    user = get_user_model().objects.get(username=username)
    device = None
    if has_authenticator(user) or must_use_second_factor(user):
        device = authenticator_for(user)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        page.get_by_label("Security code").fill(authenticator_code(device))
        page.get_by_role("button", name="Continue").click()
    playwright_expect()(page).to_have_url(re.compile(r"/admin/$"))
