"""`manage.py seed_loadtest`: the load test's database topped up to a number of listings, with
provider and broker accounts for this run's password and a queue of waiting requests, and
nothing added when it is run again."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from brokerage import permissions as brokerage_permissions
from brokerage.choices import Status
from brokerage.models import SupportRequest
from demo import loadtest
from directory.models import ListingPage
from directory.permissions import organisations_of
from loadtest.parsing import authenticator_code
from loadtest.parsing import authenticator_key as locust_key

pytestmark = pytest.mark.django_db

PASSWORD = "this-run-only-5b1c"


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_loadtest", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo_data(directory):
    call_command("seed_demo", seed=3, listings=12, stdout=StringIO())


def test_listings_are_topped_up_to_the_number_asked_once(directory):
    assert "Added 40 listings" in seed(listings=40)
    assert ListingPage.objects.count() == 40
    assert "has 40 listings or more already" in seed(listings=40)
    assert ListingPage.objects.count() == 40
    seed(listings=55)
    assert ListingPage.objects.count() == 55
    # The gazetteer holds the NE alone (as the load test's does): every listing is there.
    districts = set(ListingPage.objects.values_list("postcode_district", flat=True))
    assert districts and all(district.startswith("NE") for district in districts)


def test_no_listings_asked_adds_none(demo_data):
    before = ListingPage.objects.count()
    seed(listings=0)
    assert ListingPage.objects.count() == before


def test_accounts_and_a_queue_once_and_the_password_of_each_run(demo_data, monkeypatch):
    monkeypatch.setenv("LOADTEST_PASSWORD", PASSWORD)
    seed(accounts=2, requests=5)
    User = get_user_model()
    for number in (1, 2):
        provider = User.objects.get(username=f"loadtest-provider-{number}")
        assert provider.check_password(PASSWORD)
        organisation = organisations_of(provider).get()
        assert ListingPage.objects.filter(organisation=organisation, live=True).exists()
        broker = User.objects.get(username=f"loadtest-broker-{number}")
        assert broker.check_password(PASSWORD)
        assert brokerage_permissions.is_broker(broker)
        assert broker.broker_profile.accepted_code
        assert set(brokerage_permissions.broker_areas(broker)) == set(loadtest.BROKER_AREAS)
    waiting = SupportRequest.objects.filter(
        status=Status.SUBMITTED, family__username__startswith="loadtest-"
    )
    assert waiting.count() == 5
    broker = User.objects.get(username="loadtest-broker-1")
    assert set(waiting.values_list("pk", flat=True)) <= set(
        brokerage_permissions.requests_for_broker(broker).values_list("pk", flat=True)
    )

    monkeypatch.setenv("LOADTEST_PASSWORD", "the-next-run-a7")
    users = User.objects.count()
    seed(accounts=2, requests=5)
    assert User.objects.count() == users
    assert waiting.count() == 5
    assert organisations_of(User.objects.get(username="loadtest-provider-1")).count() == 1
    broker = User.objects.get(username="loadtest-broker-1")
    assert broker.check_password("the-next-run-a7") and not broker.check_password(PASSWORD)
    assert TOTPDevice.objects.filter(user=broker).count() == 1


def test_the_code_locust_computes_is_accepted_once(demo_data, monkeypatch):
    monkeypatch.setenv("LOADTEST_PASSWORD", PASSWORD)
    seed(accounts=1)
    device = TOTPDevice.objects.get(user__username="loadtest-broker-1", confirmed=True)
    assert locust_key(PASSWORD, "loadtest-broker-1") == loadtest.authenticator_key(
        PASSWORD, "loadtest-broker-1"
    )
    assert (device.step, device.digits, device.t0) == (30, 6, 0)
    code = authenticator_code(PASSWORD, "loadtest-broker-1")
    assert device.verify_token(code)
    # Each code works once: why every locust broker signs in with an account of its own.
    assert not TOTPDevice.objects.get(pk=device.pk).verify_token(code)


def test_accounts_need_this_runs_password(demo_data, monkeypatch):
    monkeypatch.delenv("LOADTEST_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="LOADTEST_PASSWORD"):
        seed(accounts=1)


def test_never_in_production(directory, monkeypatch):
    monkeypatch.setenv("LOADTEST_PASSWORD", PASSWORD)
    with (
        override_settings(SETTINGS_MODULE="config.settings.production"),
        pytest.raises(CommandError, match="never in production"),
    ):
        seed(accounts=1)
    assert not get_user_model().objects.filter(username__startswith="loadtest-").exists()
