"""The public forms anyone can send without signing in (making an account, resetting a
password, applying to be a provider, reporting a problem) are throttled per address and per
account: over the limit they answer 429 with the form and a message saying how many minutes
to wait, and send nothing (core/throttle.py)."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import RequestFactory
from django.urls import reverse
from freezegun import freeze_time

from core import throttle
from directory.choices import OrganisationKind
from tests.factories.directory import InclusiveClubPageFactory

pytestmark = pytest.mark.django_db

ON_THE_HOUR = "2026-12-07 10:00:00"


def request_from(address: str):
    return RequestFactory().post("/", REMOTE_ADDR=address)


# --- The limiter's contract -------------------------------------------------------------------


@freeze_time(ON_THE_HOUR)
def test_one_address_gets_its_tries_then_is_told_to_wait_until_the_window_ends(settings):
    settings.THROTTLES = {"form": {"per_address": 3, "per_account": 100, "minutes": 60}}
    for _ in range(3):
        assert throttle.hit("form", request=request_from("192.0.2.1")) is None
    refused = throttle.hit("form", request=request_from("192.0.2.1"))
    assert refused == throttle.Throttled(retry_after=3600)
    assert "Wait 60 minutes, then try again" in refused.message
    assert throttle.hit("form", request=request_from("192.0.2.2")) is None  # another address


@freeze_time(ON_THE_HOUR)
def test_one_account_is_limited_whichever_address_the_tries_come_from(settings):
    settings.THROTTLES = {"form": {"per_address": 100, "per_account": 2, "minutes": 60}}
    for n in range(2):
        assert throttle.hit("form", request=request_from(f"192.0.2.{n}"), account="A@x.org") is None
    refused = throttle.hit("form", request=request_from("192.0.2.9"), account=" a@X.org ")
    assert refused is not None
    assert throttle.hit("form", request=request_from("192.0.2.9"), account="b@x.org") is None


def test_the_tries_come_back_when_the_window_ends(settings):
    settings.THROTTLES = {"form": {"per_address": 1, "per_account": 1, "minutes": 15}}
    with freeze_time("2026-12-07 10:05:00"):
        assert throttle.hit("form", request=request_from("192.0.2.1")) is None
        refused = throttle.hit("form", request=request_from("192.0.2.1"))
        assert refused.retry_after == 600
        assert refused.minutes == 10
    with freeze_time("2026-12-07 10:15:00"):
        assert throttle.hit("form", request=request_from("192.0.2.1")) is None


def test_a_wait_under_a_minute_is_said_as_one_minute():
    assert "Wait 1 minute, then" in throttle.Throttled(retry_after=20).message


def test_the_counts_never_hold_an_email_or_ip_address_in_the_clear():
    throttle.hit("password_reset", request=request_from("192.0.2.77"), account="jo@example.org")
    keys = " ".join(caches["throttle"]._cache)
    assert "192.0.2.77" not in keys
    assert "jo@example.org" not in keys


def test_behind_a_proxy_the_address_counted_is_the_familys_own(settings):
    settings.TRUSTED_PROXIES = 1
    settings.THROTTLES = {"form": {"per_address": 1, "per_account": 1, "minutes": 60}}
    behind = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1")
    other = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert throttle.hit("form", request=behind) is None
    assert throttle.hit("form", request=other) is None


# --- The forms --------------------------------------------------------------------------------


def account_form(email):
    return (
        reverse("account:create"),
        {
            "first_name": "Alex",
            "email": email,
            "who": "parent",
            "password": "correct horse battery staple",
            "privacy": "on",
        },
    )


def reset_form(email):
    return reverse("account:reset"), {"email": email}


def application_form(email):
    return (
        reverse("directory:apply"),
        {
            "organisation_name": "Allendale Adventures",
            "kind": OrganisationKind.CHARITY,
            "contact_name": "Sam Robson",
            "email": email,
            "postcode": "NE46 3NR",
            "what_you_offer": "Outdoor activity days.",
        },
    )


def report_form(email):
    listing = InclusiveClubPageFactory(title="Morpeth Friday Youth Club")
    return (
        reverse("directory:report_problem", args=[listing.pk]),
        {"safety": "no", "reason": "closed", "details": "It closed in July.", "reply_email": email},
    )


FORMS = {
    "account_create": account_form,
    "password_reset": reset_form,
    "provider_application": application_form,
    "report_problem": report_form,
}


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def post(url, data, address):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data, REMOTE_ADDR=address)

    return post


@pytest.mark.parametrize("name", FORMS)
@freeze_time(ON_THE_HOUR)
def test_one_address_sending_a_form_too_often_is_told_to_wait_and_nothing_is_sent(
    name, directory, send, mailoutbox
):
    limit = settings.THROTTLES[name]["per_address"]
    for n in range(limit):
        url, data = FORMS[name](f"person{n}@example.org")
        assert send(url, data, "192.0.2.10").status_code in (200, 302)
    sent = len(mailoutbox)
    url, data = FORMS[name]("someone-else@example.org")
    response = send(url, data, "192.0.2.10")
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    page = response.content.decode()
    assert "There is a problem" in page
    assert "You have tried this too many times. Wait 60 minutes, then try again." in page
    assert "<title>Error:" in page
    assert len(mailoutbox) == sent


@pytest.mark.parametrize("name", FORMS)
@freeze_time(ON_THE_HOUR)
def test_one_email_address_sent_too_often_from_many_addresses_is_told_to_wait(
    name, directory, send, mailoutbox
):
    limit = settings.THROTTLES[name]["per_account"]
    for n in range(limit):
        url, data = FORMS[name]("target@example.org")
        assert send(url, data, f"198.51.100.{n}").status_code in (200, 302)
    sent = len(mailoutbox)
    url, data = FORMS[name]("Target@Example.org")
    response = send(url, data, "203.0.113.50")
    assert response.status_code == 429
    assert len(mailoutbox) == sent


def test_a_form_with_mistakes_does_not_use_up_a_try(client, directory):
    url, data = application_form("sam@example.org")
    for _ in range(settings.THROTTLES["provider_application"]["per_address"] + 2):
        response = client.post(url, {**data, "postcode": ""})
        assert response.status_code == 200
    assert client.post(url, data).status_code == 302
