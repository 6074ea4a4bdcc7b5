"""A family's data: what they download, what goes when they close their account (and what the
provider keeps by law), and how long anything is kept (docs/privacy.md)."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from brokerage import privacy, services
from brokerage.models import Agreement, FamilyProfile, Offer, Review, SupportRequest
from core.models import Consent
from search.models import SavedListing
from tests.factories.directory import PersonalAssistantPageFactory

from .conftest import accept, make_request, write_up


@pytest.fixture
def agreed(assigned, broker_ready, listing, pa_editor, family):
    """Sam and the family have both confirmed an agreement: the request is matched, and the
    family has been asked how it is going."""
    [offer] = services.offers_send(user=broker_ready, request=assigned, listings=[listing])
    accept(offer, pa_editor)
    services.offer_choose(user=family, offer=offer)
    agreement = write_up(
        SupportRequest.objects.get(pk=assigned.pk), broker=broker_ready, family=family
    )
    services.agreement_confirm(user=pa_editor, agreement=agreement)
    Review.objects.create(
        agreement=agreement,
        held_on=timezone.localdate(),
        feeling="good",
        family_words="Amir loves Saturdays with Sam",
        next_review_date=timezone.localdate() + datetime.timedelta(days=180),
    )
    agreement.refresh_from_db()
    return agreement


def close_account(client, family):
    client.force_login(family)
    return client.post(reverse("brokerage:delete_account"), {"confirm": "yes"})


def test_a_family_closing_their_account_tells_the_provider_and_the_broker_they_have_left(
    client, family, agreed, broker_ready, pa_editor, mailoutbox, django_capture_on_commit_callbacks
):
    reference = agreed.request.reference
    with django_capture_on_commit_callbacks(execute=True):
        close_account(client, family)
    left = [m for m in mailoutbox if "closed their account" in m.subject]
    assert sorted(address for m in left for address in m.to) == sorted(
        [pa_editor.email, broker_ready.email]
    )
    assert all(reference in m.subject for m in left)
    assert all("Leila" not in m.body and "07700" not in m.body for m in left)


def test_the_provider_keeps_the_agreed_package_when_the_family_closes_their_account(
    client, family, agreed
):
    close_account(client, family)
    assert not get_user_model().objects.filter(pk=family.pk).exists()
    assert not SupportRequest.objects.exists()
    kept = Agreement.objects.get(pk=agreed.pk)
    assert kept.request is None and kept.family_left_at is not None
    assert (kept.hours_per_week, kept.rate, kept.start_date) == (
        agreed.hours_per_week,
        agreed.rate,
        agreed.start_date,
    )
    assert kept.offer.summary["reference"] == agreed.offer.summary["reference"]
    assert not Review.objects.exists()  # the family's own words go with them


def test_the_providers_offer_page_says_the_family_has_closed_their_account_instead_of_404(
    client, family, agreed, pa_editor
):
    close_account(client, family)
    client.force_login(pa_editor)
    url = reverse("brokerage_admin:offer", args=[agreed.offer_id])
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The family has closed their account" in page
    assert "Leila" not in page and "07700 900456" not in page and "Amir" not in page
    assert "£15" in page  # the rate agreed stays on the provider's record
    answered = client.post(url, {"action": "confirm"})
    assert answered.status_code == 302  # told nothing can change, never a 500


def test_offers_that_came_to_nothing_go_with_the_family(client, family, agreed, broker_ready):
    other = make_request(family)
    services.request_assign(user=broker_ready, request=other)
    services.offers_send(
        user=broker_ready, request=other, listings=[PersonalAssistantPageFactory(dbs=True)]
    )
    close_account(client, family)
    assert list(Offer.objects.values_list("pk", flat=True)) == [agreed.offer_id]


def test_a_familys_download_has_their_shortlist_consents_and_answers_in_words(
    client, family, submitted
):
    listing = PersonalAssistantPageFactory(dbs=True, title="Jo, PA in Corbridge")
    SavedListing.objects.create(user=family, listing=listing)
    Consent.objects.create(user=family, purpose="account_privacy", wording="I agree to X")
    client.force_login(family)
    data = json.loads(client.get(reverse("brokerage:my_data")).content)
    assert [s["service"] for s in data["shortlist"]] == ["Jo, PA in Corbridge"]
    assert [c["what"] for c in data["what_you_agreed_to"]] == ["I agree to X"]
    saved = {row["question"]: row["answer"] for row in data["saved_answers"]}
    assert saved["Who is asking"] == "A parent or carer, for my child"
    assert saved["Needs"] == "Autism"
    assert saved["Kind of support"] == "A personal assistant (PA), Someone to come to our home"
    assert saved["Days"] == "Saturday"
    asked = {row["question"]: row["answer"] for row in data["requests"][0]["answers"]}
    assert asked["Paid for by"] == "Direct payment" and asked["Area"] == "NE46 3"
    assert data["requests"][0]["status"] == "Waiting for a broker"


def test_saved_answers_go_once_the_family_has_asked_for_nothing_for_the_retention_period(
    family, make_family, northumberland
):
    make_request(family)
    quiet = make_family("quiet-family")
    request = make_request(quiet)
    services.request_withdraw(user=quiet, request=request)
    long_ago = timezone.now() - datetime.timedelta(days=800)
    FamilyProfile.objects.update(updated_at=long_ago)
    SupportRequest.objects.filter(family=quiet).update(updated_at=long_ago, closed_at=long_ago)
    counts = privacy.retention_enforce()
    assert counts["saved_answers_deleted"] == 1
    assert list(FamilyProfile.objects.values_list("user__username", flat=True)) == ["family"]


def test_a_matched_request_stays_while_its_agreement_is_still_reviewed(agreed):
    SupportRequest.objects.filter(pk=agreed.request_id).update(
        closed_at=timezone.now() - datetime.timedelta(days=800)
    )
    privacy.retention_enforce()
    assert SupportRequest.objects.filter(pk=agreed.request_id).exists()


def test_the_providers_record_goes_once_the_years_it_must_be_kept_have_passed(
    client, family, agreed, settings
):
    close_account(client, family)
    assert privacy.retention_enforce()["kept_agreements_deleted"] == 0
    years = settings.BROKERAGE_RETENTION["kept_agreement_years"]
    Agreement.objects.update(
        start_date=timezone.localdate() - datetime.timedelta(days=366 * years + 1)
    )
    assert privacy.retention_enforce()["kept_agreements_deleted"] == 1
    assert not Agreement.objects.exists() and not Offer.objects.exists()
