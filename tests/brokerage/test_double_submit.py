"""A double-click, or a family pressing "Send" again on a slow connection, records one thing.

The second press arrives after the first has been saved; it must not make a second request,
event or offer answer, and the person must land somewhere that tells them it worked."""

from decimal import Decimal

import pytest
from django.urls import reverse

from brokerage import services
from brokerage.choices import OfferStatus, Status
from brokerage.models import RequestEvent, SupportRequest

from .conftest import make_request, tomorrow

pytestmark = pytest.mark.django_db


def test_sending_a_request_twice_sends_it_once_and_both_presses_land_on_sent(
    client, family, northumberland
):
    draft = make_request(family, submit=False)
    client.force_login(family)
    url = reverse("brokerage:check", args=[draft.pk])
    first = client.post(url)
    second = client.post(url)
    sent = reverse("brokerage:sent", args=[draft.pk])
    assert first.status_code == 302 and first["Location"] == sent
    assert second.status_code == 302 and second["Location"] == sent
    assert SupportRequest.objects.filter(family=family).count() == 1
    assert SupportRequest.objects.get().status == Status.SUBMITTED
    assert RequestEvent.objects.filter(to_status=Status.SUBMITTED).count() == 1


@pytest.fixture
def offer(assigned, broker_ready, listing):
    [offer] = services.offers_send(user=broker_ready, request=assigned, listings=[listing])
    return offer


def test_answering_an_offer_twice_records_one_answer(client, pa_editor, offer):
    client.force_login(pa_editor)
    url = reverse("brokerage_admin:offer", args=[offer.pk])
    answer = {
        "action": "accept",
        "proposed_hours": "6",
        "rate": "16.50",
        "start_date": tomorrow().isoformat(),
    }
    first = client.post(url, answer)
    second = client.post(url, {**answer, "rate": "17.00"})
    assert first.status_code == 302 and second.status_code == 302
    assert second["Location"] == url
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert offer.rate == Decimal("16.50")  # the first answer stands
    assert RequestEvent.objects.filter(offer=offer, to_status=OfferStatus.ACCEPTED).count() == 1
    assert offer.request.events.filter(to_status=Status.CHOOSING).count() == 1


def test_starting_a_request_twice_in_a_moment_makes_one_draft(client, family):
    client.force_login(family)
    first = client.post(reverse("brokerage:index"))
    second = client.post(reverse("brokerage:index"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert SupportRequest.objects.filter(family=family, status=Status.DRAFT).count() == 1


def test_a_family_can_still_start_a_second_request_later(client, family):
    import datetime

    from freezegun import freeze_time

    client.force_login(family)
    client.post(reverse("brokerage:index"))
    with freeze_time(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)):
        client.force_login(family)
        client.post(reverse("brokerage:index"))
    assert SupportRequest.objects.filter(family=family, status=Status.DRAFT).count() == 2


@pytest.fixture
def agreeing(offer, pa_editor, family, broker_ready):
    """The family chose the offer and the broker wrote up the agreement: nobody confirmed."""
    from .conftest import accept

    accept(offer, pa_editor)
    services.offer_choose(user=family, offer=offer)
    return services.agreement_draft(
        user=broker_ready,
        request=offer.request,
        hours_per_week=Decimal("6"),
        rate=Decimal("15"),
        funding=offer.request.funding,
        start_date=tomorrow(),
    )


def test_a_family_confirming_the_agreement_twice_confirms_it_once_and_is_told(
    client, family, agreeing
):
    client.force_login(family)
    request = agreeing.request
    url = reverse("brokerage:confirm_agreement", args=[request.pk])
    first = client.post(url, follow=True)
    second = client.post(url, follow=True)
    assert "You have confirmed the agreement" in first.content.decode()
    assert "You have already confirmed this agreement" in second.content.decode()
    confirmations = RequestEvent.objects.filter(
        request=request, note="Agreement confirmed by the family"
    )
    assert confirmations.count() == 1
    request.refresh_from_db()
    assert request.status == Status.AGREEING  # still waiting for the provider


def test_a_provider_confirming_the_agreement_twice_takes_its_capacity_once(
    client, family, pa_editor, agreeing, offer
):
    from brokerage.models import RequestOutcome
    from directory.models import ListingPage

    services.agreement_confirm(user=family, agreement=agreeing)
    capacity = ListingPage.objects.get(pk=offer.listing_id).capacity_now
    client.force_login(pa_editor)
    url = reverse("brokerage_admin:offer", args=[offer.pk])
    first = client.post(url, {"action": "confirm"}, follow=True)
    second = client.post(url, {"action": "confirm"}, follow=True)
    assert "Agreement confirmed." in first.content.decode()
    assert "no longer waiting to be confirmed" in second.content.decode()
    request = agreeing.request
    request.refresh_from_db()
    assert request.status == Status.MATCHED
    assert RequestEvent.objects.filter(request=request, to_status=Status.MATCHED).count() == 1
    assert RequestOutcome.objects.filter(request=request).count() == 1
    assert ListingPage.objects.get(pk=offer.listing_id).capacity_now == capacity - 6
