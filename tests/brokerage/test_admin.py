"""The broker's workspace and the provider's offers in the Wagtail admin, and the permission
matrix: every role against every page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from brokerage import services
from brokerage.choices import OfferStatus, Status
from brokerage.models import Agreement, BrokerProfile
from tests.helpers import assert_denied

from .conftest import accept, make_request, tomorrow, write_up


@pytest.fixture
def offer(assigned, broker_ready, listing):
    [offer] = services.offers_send(user=broker_ready, request=assigned, listings=[listing])
    return offer


def urls(request_pk, offer_pk):
    return {
        "queue": reverse("brokerage_admin:queue"),
        "profile": reverse("brokerage_admin:profile"),
        "request": reverse("brokerage_admin:request", args=[request_pk]),
        "matching": reverse("brokerage_admin:matching", args=[request_pk]),
        "agreement": reverse("brokerage_admin:agreement", args=[request_pk]),
        "review": reverse("brokerage_admin:review", args=[request_pk]),
        "offers": reverse("brokerage_admin:offers"),
        "offer": reverse("brokerage_admin:offer", args=[offer_pk]),
    }


# Who may open which admin page: the assigned broker, another broker, the provider the offer
# went to, another provider, and everyone else.
ALLOWED = {
    "broker_ready": {"queue", "profile", "request", "matching", "agreement", "review"},
    "other_broker": {"queue", "profile"},
    "pa_editor": {"offers", "offer"},
    "provider_a": {"offers"},
    "family": set(),
    "moderator": set(),
    "coordinator": set(),
    "young_auditor": set(),
    "superuser": set(),
}


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize(
    "page", ["queue", "profile", "request", "matching", "agreement", "review", "offers", "offer"]
)
def test_the_permission_matrix_for_every_role_on_every_page(client, request, offer, role, page):
    client.force_login(request.getfixturevalue(role))
    response = client.get(urls(offer.request_id, offer.pk)[page])
    if page in ALLOWED[role]:
        assert response.status_code == 200, response
    elif response.status_code == 302 and response["Location"] == reverse("brokerage_admin:queue"):
        assert role == "other_broker"  # told the request has been taken, and shown nothing
    else:
        assert_denied(response)


@pytest.mark.parametrize("role", ["other_broker", "pa_editor", "provider_a", "family", "moderator"])
def test_nobody_but_the_assigned_broker_can_act_on_a_request(client, request, assigned, role):
    client.force_login(request.getfixturevalue(role))
    for action in ("release", "withdraw", "first_contact"):
        client.post(
            reverse("brokerage_admin:request", args=[assigned.pk]),
            {"action": action, "expected_status": "assigned"},
        )
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED and assigned.first_contact_at is None


def test_a_broker_sees_the_queue_for_their_area_only(client, broker_ready, family, make_family):
    mine = make_request(family)
    elsewhere = make_request(make_family("newcastle-family"), postcode="NE1 4ST")
    client.force_login(broker_ready)
    page = client.get(reverse("brokerage_admin:queue")).content.decode()
    assert mine.reference in page and elsewhere.reference not in page
    response = client.get(reverse("brokerage_admin:request", args=[elsewhere.pk]))
    assert_denied(response)


def test_overdue_first_contact_is_highlighted_in_the_queue(client, broker_ready, submitted):
    from datetime import timedelta

    from django.utils import timezone

    type(submitted).objects.filter(pk=submitted.pk).update(
        submitted_at=timezone.now() - timedelta(days=14)
    )
    client.force_login(broker_ready)
    assert "Overdue" in client.get(reverse("brokerage_admin:queue")).content.decode()


def test_two_brokers_assigning_at_once_the_second_is_told_clearly(
    client, broker_ready, other_broker, submitted
):
    url = reverse("brokerage_admin:request", args=[submitted.pk])
    client.force_login(broker_ready)
    client.post(url, {"action": "assign", "expected_status": "submitted"})
    client.force_login(other_broker)
    response = client.post(url, {"action": "assign", "expected_status": "submitted"}, follow=True)
    page = response.content.decode()
    assert f"Request {submitted.reference} has already been assigned to" in page
    assert "Nothing was changed" in page
    submitted.refresh_from_db()
    assert submitted.broker == broker_ready


def test_the_broker_matches_and_sends_offers_from_the_matching_screen(
    client, broker_ready, assigned, listing, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(broker_ready)
    url = reverse("brokerage_admin:matching", args=[assigned.pk])
    page = client.get(url).content.decode()
    assert "Sam, PA in Hexham" in page and "Supports Autism" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {
                "action": "send",
                "listing": [str(listing.pk)],
                "expected_status": "assigned",
                "note": "Loves trains",
            },
        )
    assigned.refresh_from_db()
    assert assigned.status == Status.OFFERS_SENT
    assert assigned.offers.get().broker_note == "Loves trains"


def test_sending_no_offers_or_bad_listing_numbers_is_refused_clearly(
    client, broker_ready, assigned
):
    client.force_login(broker_ready)
    url = reverse("brokerage_admin:matching", args=[assigned.pk])
    response = client.post(url, {"action": "send", "listing": ["x"]}, follow=True)
    assert "Choose at least one provider" in response.content.decode()
    assert client.post(url, {"action": "add", "listing_id": "abc"}).status_code == 404


def test_the_provider_sees_the_anonymous_summary_and_accepts(client, pa_editor, offer):
    client.force_login(pa_editor)
    url = reverse("brokerage_admin:offer", args=[offer.pk])
    page = client.get(url).content.decode()
    assert "11-15" in page and "Leila" not in page and "07700 900456" not in page
    response = client.post(
        url,
        {
            "action": "accept",
            "proposed_hours": "6",
            "rate": "16.50",
            "start_date": tomorrow().isoformat(),
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and offer.rate == Decimal("16.50")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"action": "accept", "proposed_hours": "", "rate": "15", "start_date": "2099-01-01"},
            "This field is required",
        ),
        (
            {
                "action": "accept",
                "proposed_hours": "6",
                "rate": "cheap",
                "start_date": "2099-01-01",
            },
            "Enter a number",
        ),
        (
            {"action": "accept", "proposed_hours": "6", "rate": "15", "start_date": "2000-01-01"},
            "today or in the future",
        ),
        ({"action": "decline"}, "This field is required"),
        ({"action": "decline", "reason": "bored"}, "Select a valid choice"),
    ],
)
def test_bad_answers_from_a_provider_are_explained(client, pa_editor, offer, data, message):
    client.force_login(pa_editor)
    response = client.post(reverse("brokerage_admin:offer", args=[offer.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SENT


def test_contact_details_appear_for_the_provider_only_once_chosen(client, pa_editor, offer, family):
    accept(offer, pa_editor)
    client.force_login(pa_editor)
    url = reverse("brokerage_admin:offer", args=[offer.pk])
    assert "07700 900456" not in client.get(url).content.decode()
    services.offer_choose(user=family, offer=offer)
    page = client.get(url).content.decode()
    assert "07700 900456" in page and "Leila Khan" in page and family.email in page


def test_the_broker_writes_the_agreement_and_bad_dates_are_explained(
    client, broker_ready, pa_editor, offer, family
):
    accept(offer, pa_editor)
    services.offer_choose(user=family, offer=offer)
    client.force_login(broker_ready)
    url = reverse("brokerage_admin:agreement", args=[offer.request_id])
    page = client.get(url).content.decode()
    assert 'value="15.00"' in page or 'value="15"' in page  # filled in from the offer
    bad = client.post(
        url,
        {
            "hours_per_week": "6",
            "rate": "15",
            "funding": offer.request.funding_id,
            "days": ["6"],
            "start_date": tomorrow().isoformat(),
            "review_date": "2000-01-01",
        },
    )
    assert "review date must be after the start date" in bad.content.decode()
    good = client.post(
        url,
        {
            "hours_per_week": "6",
            "rate": "15",
            "funding": offer.request.funding_id,
            "days": ["6"],
            "start_date": tomorrow().isoformat(),
        },
    )
    assert good.status_code == 302
    assert offer.request.__class__.objects.get(pk=offer.request_id).agreement.review_date


def test_the_broker_closes_a_request_with_reasons_and_bad_input_is_explained(
    client, broker_ready, assigned
):
    client.force_login(broker_ready)
    url = reverse("brokerage_admin:request", args=[assigned.pk])
    response = client.post(url, {"action": "unmatched", "expected_status": "assigned"})
    assert "Choose at least one reason" in response.content.decode()
    client.post(
        url,
        {"action": "unmatched", "expected_status": "assigned", "reasons": ["times", "no_capacity"]},
    )
    assigned.refresh_from_db()
    assert assigned.status == Status.UNMATCHED


def test_a_broker_accepts_the_code_and_declares_an_affiliation_but_cannot_choose_their_areas(
    client, broker, northumberland, listing
):
    client.force_login(broker)
    url = reverse("brokerage_admin:profile")
    client.post(url, {"action": "code"})  # the box not ticked
    assert not BrokerProfile.objects.filter(user=broker, code_of_conduct_accepted_at__isnull=False)
    client.post(url, {"action": "code", "accept": "yes"})
    client.post(url, {"action": "areas", "areas": [str(northumberland.pk)]})
    bad = client.post(url, {"action": "affiliation", "organisation": listing.organisation_id})
    assert "This field is required" in bad.content.decode()
    client.post(
        url,
        {
            "action": "affiliation",
            "organisation": listing.organisation_id,
            "nature": "Former employer",
        },
    )
    profile = BrokerProfile.objects.get(user=broker)
    assert profile.accepted_code
    assert list(profile.areas.all()) == []  # council staff grant areas
    assert broker.broker_affiliations.get().nature == "Former employer"


def test_the_broker_records_a_review_in_the_familys_and_young_persons_words(
    client, broker_ready, pa_editor, offer, family
):
    accept(offer, pa_editor)
    services.offer_choose(user=family, offer=offer)
    agreement = write_up(offer.request, broker=broker_ready, family=family)
    services.agreement_confirm(user=pa_editor, agreement=agreement)
    from core.dates import today

    # The support has started: a review is never dated before that.
    Agreement.objects.filter(pk=agreement.pk).update(start_date=today())
    client.force_login(broker_ready)
    url = reverse("brokerage_admin:review", args=[offer.request_id])
    bad = client.post(url, {"held_on": "2026-01-01", "feeling": "well"})
    assert "This field is required" in bad.content.decode()

    client.post(
        url,
        {
            "held_on": today().isoformat(),
            "feeling": "well",
            "family_words": "Amir looks forward to Saturdays.",
            "young_person_words": "Sam is fun. We go to the park.",
        },
    )
    review = agreement.reviews.get()
    assert review.young_person_words.startswith("Sam is fun")
    page = client.get(reverse("brokerage_admin:request", args=[offer.request_id])).content.decode()
    assert "Sam is fun" in page
