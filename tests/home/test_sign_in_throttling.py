"""Guessing passwords is throttled: after five wrong passwords for one account, or from one
address, signing in is refused for a while even with the right password, on the public site
and in the admin alike, with a clear page that offers a password reset."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def throttling_on(settings):
    settings.AXES_ENABLED = True  # off for the rest of the suite (config/settings/test.py)


def public_sign_in(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("account:sign_in"),
        {"email": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_a_young_auditors_account_even_against_the_right_one(
    client, young_auditor
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert public_sign_in(client, young_auditor.username, "wrong guess").status_code == 200
    assert public_sign_in(client, young_auditor.username, "wrong guess").status_code == 429
    response = public_sign_in(client, young_auditor.username, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many tries" in page
    assert "15 minutes" in page
    assert reverse("account:reset") in page
    assert "_auth_user_id" not in client.session


def test_the_lock_follows_the_account_to_another_address(client, family):
    for n in range(settings.AXES_FAILURE_LIMIT):
        public_sign_in(client, family.username, "wrong guess", address=f"198.51.100.{n}")
    response = public_sign_in(client, family.username, PASSWORD, address="203.0.113.9")
    assert response.status_code == 429


def test_one_address_guessing_many_accounts_is_stopped(client, family):
    for n in range(settings.AXES_FAILURE_LIMIT):
        public_sign_in(client, f"someone-{n}@example.org", "wrong guess")
    assert public_sign_in(client, family.username, PASSWORD).status_code == 429


def test_a_right_password_before_the_limit_signs_in_and_clears_the_count(client, family):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        public_sign_in(client, family.username, "wrong guess")
    response = public_sign_in(client, family.username, PASSWORD)
    assert response.status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        public_sign_in(client, family.username, "wrong guess")
    assert public_sign_in(client, family.username, PASSWORD).status_code == 302


def test_the_admin_sign_in_is_throttled_too(client):
    make_user("council-admin", is_staff=True, is_superuser=True)
    url = reverse("wagtailadmin_login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "council-admin", "password": "wrong guess"})
    response = client.post(url, {"username": "council-admin", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),  # no proxy: the connection's address, headers ignored
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client's own entry is not trusted
        (2, "203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (1, "", "10.0.0.1"),
    ],
)
def test_behind_a_proxy_each_family_is_throttled_by_their_own_address(
    rf, settings, proxies, forwarded, expected
):
    from core.client_ip import client_ip

    settings.TRUSTED_PROXIES = proxies
    request = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
