"""Agreements record the days and times of the support, shown to the family, the provider and
the broker and in the family's download; choosing an offer first shows exactly what will be
shared with whom, and shares nothing until the family confirms."""

import datetime
import json

import pytest
from django.urls import reverse

from brokerage import services
from brokerage.choices import OfferStatus, Status
from brokerage.models import Agreement, ContactShare, SupportRequest
from core.dates import today
from core.roles import BROKERS, COUNCIL_MODERATORS, FAMILIES
from directory.models import FundingRoute
from tests.helpers import make_user

from .conftest import accept, grant_areas, ready_broker, tomorrow


@pytest.fixture
def accepted(assigned, broker_ready, listing, pa_editor):
    [offer] = services.offers_send(user=broker_ready, request=assigned, listings=[listing])
    accept(offer, pa_editor)
    offer.refresh_from_db()
    return offer


def choose_url(offer):
    return reverse("brokerage:choose", args=[offer.request_id, offer.pk])


# --- Choosing: a confirmation page first ---------------------------------------------------


def test_the_confirmation_page_says_exactly_what_is_shared_with_whom(client, family, accepted):
    client.force_login(family)
    page = client.get(choose_url(accepted)).content.decode()
    organisation = accepted.organisation.name
    assert f"share your details with {organisation}" in page
    for shown in ("Your name", "Leila Khan", "Your email address", family.email):
        assert shown in page
    assert "Your phone number" in page and "07700 900456" in page
    assert "Confirm: choose Sam, PA in Hexham" in page and "Go back without choosing" in page
    assert not ContactShare.objects.exists()


def test_nothing_is_shared_until_the_family_confirms(client, family, accepted):
    client.force_login(family)
    client.get(choose_url(accepted))
    client.post(choose_url(accepted), {"expected_status": "choosing"})  # no "confirm"
    accepted.refresh_from_db()
    assert accepted.status == OfferStatus.ACCEPTED and not ContactShare.objects.exists()
    response = client.post(
        choose_url(accepted), {"expected_status": "choosing", "confirm": "yes"}, follow=True
    )
    assert "We have shared your contact details" in response.content.decode()
    share = ContactShare.objects.get()
    assert share.organisation == accepted.organisation and not share.care_notes


def test_confirming_twice_shares_once(client, family, accepted):
    client.force_login(family)
    data = {"expected_status": "choosing", "confirm": "yes"}
    client.post(choose_url(accepted), data)
    second = client.post(choose_url(accepted), data, follow=True)
    assert second.status_code == 200
    assert ContactShare.objects.count() == 1
    accepted.request.refresh_from_db()
    assert accepted.request.status == Status.AGREEING


def test_the_care_notes_ticked_are_listed_and_shared_only_on_confirming(client, family, accepted):
    SupportRequest.objects.filter(pk=accepted.request_id).update(
        care_and_health="Needs help with toileting."
    )
    client.force_login(family)
    page = client.get(choose_url(accepted), {"share_care_notes": "yes"}).content.decode()
    assert "If you tick the box, we also send" in page and "Amir" in page
    assert 'id="share-care" name="share_care_notes" type="checkbox" value="yes" checked' in page
    assert not ContactShare.objects.exists()
    client.post(
        choose_url(accepted),
        {"expected_status": "choosing", "confirm": "yes", "share_care_notes": "yes"},
    )
    assert ContactShare.objects.filter(care_notes=True).count() == 1


def test_an_offer_not_accepted_cannot_be_chosen(client, family, assigned, broker_ready, listing):
    [offer] = services.offers_send(user=broker_ready, request=assigned, listings=[listing])
    client.force_login(family)
    response = client.get(choose_url(offer), follow=True)
    assert "This offer can no longer be chosen. Nothing was shared." in response.content.decode()
    response = client.post(choose_url(offer), {"confirm": "yes", "expected_status": "choosing"})
    assert not ContactShare.objects.exists()


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("anonymous", "login"),
        ("family", 200),
        ("other_family", 404),
        ("pa_editor", 403),
        ("provider_a", 403),
        ("broker_ready", 403),
        ("other_area_broker", 403),
        ("moderator", 403),
    ],
)
def test_only_the_family_opens_or_confirms_the_choice(
    client, request, accepted, northumberland, role, allowed
):
    if role == "other_family":
        user = make_user("other-family", FAMILIES)
    elif role == "other_area_broker":
        user = ready_broker(make_user("far-broker", BROKERS), northumberland)
        grant_areas(user)  # no areas at all
    elif role == "moderator":
        user = make_user("council", COUNCIL_MODERATORS)
    elif role != "anonymous":
        user = request.getfixturevalue(role)
    if role != "anonymous":
        client.force_login(user)
    got = client.get(choose_url(accepted))
    posted = client.post(choose_url(accepted), {"confirm": "yes", "expected_status": "choosing"})
    if allowed == "login":
        assert got.status_code == 302 and "/account/sign-in/" in got["Location"]
        assert posted.status_code == 302 and "/account/sign-in/" in posted["Location"]
    else:
        assert got.status_code == allowed
    if role != "family":
        assert not ContactShare.objects.exists()


# --- The agreement's days and times ----------------------------------------------------------


@pytest.fixture
def chosen(client, family, accepted):
    services.offer_choose(user=family, offer=accepted)
    accepted.refresh_from_db()
    return accepted


def agreement_url(offer):
    return reverse("brokerage_admin:agreement", args=[offer.request_id])


def agreement_data(**overrides):
    data = {
        "hours_per_week": "6",
        "rate": "15",
        "funding": str(FundingRoute.objects.get(slug="direct-payment").pk),
        "days": ["6"],
        "time_from": "10:00",
        "time_to": "14:00",
        "school_holidays": "on",
        "start_date": tomorrow().isoformat(),
    }
    data.update(overrides)
    return data


def test_the_agreement_records_days_and_times_and_everyone_sees_them(
    client, broker_ready, family, pa_editor, chosen
):
    client.force_login(broker_ready)
    form = client.get(agreement_url(chosen)).content.decode()
    assert "Days of the week" in form and "In the school holidays" in form
    client.post(agreement_url(chosen), agreement_data())
    agreement = Agreement.objects.get(request_id=chosen.request_id)
    assert [d.name for d in agreement.days.all()] == ["Saturday"]
    assert agreement.time_from == datetime.time(10) and agreement.school_holidays
    words = "Saturday, 10:00 to 14:00, in the school holidays"
    assert agreement.when == words
    broker_page = client.get(reverse("brokerage_admin:request", args=[chosen.request_id]))
    assert words in broker_page.content.decode()
    client.force_login(pa_editor)
    provider_page = client.get(reverse("brokerage_admin:offer", args=[chosen.pk]))
    assert words in provider_page.content.decode()
    client.force_login(family)
    family_page = client.get(reverse("brokerage:detail", args=[chosen.request_id]))
    assert words in family_page.content.decode()
    download = json.loads(client.get(reverse("brokerage:my_data")).content)
    [exported] = download["requests"]
    assert exported["agreement"]["when"] == words


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"time_from": "14:00", "time_to": "10:00"}, "The end time must be after the start time"),
        ({"time_to": ""}, "Enter both times, or neither"),
        ({"time_from": "25:00"}, "Enter a time like 10:00"),
        ({"days": [], "school_holidays": ""}, "Choose the days of the support, or tick term"),
        ({"days": ["99999999999999999999"]}, "Choose days from the list"),
    ],
)
def test_bad_days_and_times_are_explained(client, broker_ready, chosen, overrides, message):
    client.force_login(broker_ready)
    response = client.post(agreement_url(chosen), agreement_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agreement.objects.exists()


def test_school_holidays_alone_is_enough(client, broker_ready, chosen):
    client.force_login(broker_ready)
    client.post(agreement_url(chosen), agreement_data(days=[], time_from="", time_to=""))
    agreement = Agreement.objects.get(request_id=chosen.request_id)
    assert agreement.when == "in the school holidays" and agreement.start_date > today()
