"""What the family told us to keep their child safe (communication, personal care and health
including medication, behaviour) goes to one provider only: the one they chose, once they
agree to share it, and only while that provider is their chosen one. Every other provider
asked, and the chosen one before the choice, see only the anonymised summary."""

import json

import pytest
from django.urls import reverse

from brokerage import services
from brokerage.choices import OfferStatus, Status
from brokerage.models import ContactShare, SupportRequest
from core.models import AuditEvent
from directory.services import organisation_add_editor
from tests.factories.directory import PersonalAssistantPageFactory
from tests.helpers import assert_denied, make_user

from .conftest import accept, make_request, write_up

MEDICATION = "Epilepsy: buccal midazolam if a seizure lasts 5 minutes"
COMMUNICATION = "Uses Makaton signs and a picture timetable"
BEHAVIOUR = "Hums when anxious; a quiet corner helps"
CARE_WORDS = (MEDICATION, COMMUNICATION, BEHAVIOUR)


@pytest.fixture
def request_with_notes(family, broker_ready):
    found = make_request(
        family,
        communication=COMMUNICATION,
        care_and_health=MEDICATION,
        behaviour_support=BEHAVIOUR,
    )
    return services.request_assign(user=broker_ready, request=found)


@pytest.fixture
def rival_listing(listing):
    return PersonalAssistantPageFactory(dbs=True, title="Kim, PA in Corbridge")


@pytest.fixture
def rival_editor(rival_listing):
    user = make_user("rival-editor", first_name="Kim")
    organisation_add_editor(organisation=rival_listing.organisation, user=user)
    return user


@pytest.fixture
def offers(request_with_notes, broker_ready, listing, rival_listing, pa_editor, rival_editor):
    """Sam and Kim were both asked for the same request and both said yes."""
    sam, kim = services.offers_send(
        user=broker_ready, request=request_with_notes, listings=[listing, rival_listing]
    )
    accept(sam, pa_editor)
    accept(kim, rival_editor)
    return sam, kim


def fresh(offer) -> SupportRequest:
    """The offer's request as it is now."""
    return SupportRequest.objects.get(pk=offer.request_id)


def offer_page(client, user, offer) -> str:
    client.force_login(user)
    response = client.get(reverse("brokerage_admin:offer", args=[offer.pk]))
    assert response.status_code == 200
    return response.content.decode()


def shows_care_notes(page: str) -> bool:
    return any(words in page for words in CARE_WORDS)


def choose(client, family, offer, share: str | None):
    client.force_login(family)
    data = {"expected_status": Status.CHOOSING, "confirm": "yes"}  # on the confirmation page
    if share is not None:
        data["share_care_notes"] = share
    url = reverse("brokerage:choose", args=[offer.request_id, offer.pk])
    return client.post(url, data, follow=True)


# --- The chosen provider, after the family chooses and agrees ---------------------------------


def test_the_chosen_provider_sees_the_care_notes_once_the_family_chooses_and_agrees(
    client, offers, family, pa_editor
):
    sam, _ = offers
    response = choose(client, family, sam, "yes")
    assert "and your notes on communication, care and behaviour" in response.content.decode()
    page = offer_page(client, pa_editor, sam)
    assert all(words in page for words in CARE_WORDS)
    assert "Amir" in page and "What the family told us, to keep them safe" in page


def test_before_the_family_chooses_the_provider_sees_only_the_anonymised_summary(
    client, offers, pa_editor
):
    sam, _ = offers
    page = offer_page(client, pa_editor, sam)
    assert not shows_care_notes(page)
    assert "Amir" not in page and "Leila" not in page


def test_the_chosen_provider_does_not_see_the_care_notes_if_the_family_did_not_agree(
    client, offers, family, pa_editor
):
    sam, _ = offers
    choose(client, family, sam, None)
    page = offer_page(client, pa_editor, sam)
    assert "Leila Khan" in page  # the contact details go with the choice
    assert not shows_care_notes(page)


@pytest.mark.parametrize("bad", ["", "no", "on", "YES", "<script>"])
def test_anything_but_a_ticked_box_shares_nothing(client, offers, family, pa_editor, bad):
    sam, _ = offers
    assert choose(client, family, sam, bad).status_code == 200
    assert not ContactShare.objects.filter(care_notes=True).exists()
    assert not shows_care_notes(offer_page(client, pa_editor, sam))


# --- Attacks: everyone else -------------------------------------------------------------------


def test_another_provider_asked_for_the_same_request_never_sees_the_care_notes(
    client, offers, family, rival_editor
):
    sam, kim = offers
    choose(client, family, sam, "yes")
    kim.refresh_from_db()
    assert kim.status == OfferStatus.NOT_CHOSEN
    assert not shows_care_notes(offer_page(client, rival_editor, kim))
    client.force_login(rival_editor)
    assert_denied(client.get(reverse("brokerage_admin:offer", args=[sam.pk])))


ROLES = ["family", "broker_ready", "rival_editor", "provider_a", "moderator", "young_auditor"]


@pytest.mark.parametrize("role", [*ROLES, "superuser", "coordinator", "anonymous"])
def test_nobody_but_the_chosen_provider_opens_the_offer_with_the_care_notes(
    client, request, offers, family, role
):
    sam, _ = offers
    services.offer_choose(user=family, offer=sam, share_care_notes=True)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("brokerage_admin:offer", args=[sam.pk]))
    if response.status_code == 200:
        assert not shows_care_notes(response.content.decode())
    else:
        assert response.status_code == 302


def test_when_the_agreement_falls_through_the_provider_no_longer_sees_the_care_notes(
    client, offers, family, broker_ready, pa_editor
):
    sam, _ = offers
    services.offer_choose(user=family, offer=sam, share_care_notes=True)
    assert shows_care_notes(offer_page(client, pa_editor, sam))
    services.agreement_fell_through(
        user=broker_ready, request=fresh(sam), reason="Sam can no longer do Saturdays"
    )
    assert not shows_care_notes(offer_page(client, pa_editor, sam))


def test_when_the_family_withdraws_the_provider_no_longer_sees_the_care_notes(
    client, offers, family, pa_editor
):
    sam, _ = offers
    services.offer_choose(user=family, offer=sam, share_care_notes=True)
    services.request_withdraw(user=family, request=fresh(sam))
    assert not shows_care_notes(offer_page(client, pa_editor, sam))


def test_the_same_provider_chosen_again_after_it_fell_through_needs_the_family_to_agree_again(
    client, offers, family, broker_ready, listing, pa_editor
):
    sam, _ = offers
    services.offer_choose(user=family, offer=sam, share_care_notes=True)
    found = services.agreement_fell_through(
        user=broker_ready, request=fresh(sam), reason="Dates changed"
    )
    [again] = services.offers_send(user=broker_ready, request=found, listings=[listing])
    accept(again, pa_editor)
    services.offer_choose(user=family, offer=again)
    assert not shows_care_notes(offer_page(client, pa_editor, again))


def test_the_chosen_provider_keeps_the_care_notes_while_the_agreed_support_runs(
    client, offers, family, broker_ready, pa_editor
):
    sam, _ = offers
    services.offer_choose(user=family, offer=sam, share_care_notes=True)
    agreement = write_up(fresh(sam), broker=broker_ready, family=family)
    services.agreement_confirm(user=pa_editor, agreement=agreement)
    assert fresh(sam).status == Status.MATCHED
    assert shows_care_notes(offer_page(client, pa_editor, sam))


# --- Sharing later, and the record of it -------------------------------------------------------


def test_the_family_can_share_the_notes_after_choosing_and_they_are_shared_once(
    client, offers, family, pa_editor
):
    sam, _ = offers
    choose(client, family, sam, None)
    detail = client.get(reverse("brokerage:detail", args=[sam.request_id])).content.decode()
    assert "Share my notes with Sam, PA in Hexham" in detail
    url = reverse("brokerage:share_care_notes", args=[sam.request_id])
    response = client.post(url, follow=True)
    assert "We have shared your notes on communication" in response.content.decode()
    client.post(url)
    assert ContactShare.objects.filter(care_notes=True).count() == 1
    assert shows_care_notes(offer_page(client, pa_editor, sam))


def test_notes_cannot_be_shared_before_a_provider_is_chosen(client, offers, family):
    sam, _ = offers
    client.force_login(family)
    url = reverse("brokerage:share_care_notes", args=[sam.request_id])
    response = client.post(url, follow=True)
    assert "only with a provider you have chosen" in response.content.decode()
    assert not ContactShare.objects.exists()


def test_a_family_that_gave_no_care_notes_is_not_asked_to_share_them(
    client, family, broker_ready, listing, pa_editor
):
    found = services.request_assign(user=broker_ready, request=make_request(family))
    [offer] = services.offers_send(user=broker_ready, request=found, listings=[listing])
    accept(offer, pa_editor)
    client.force_login(family)
    detail = client.get(reverse("brokerage:detail", args=[found.pk])).content.decode()
    assert 'name="share_care_notes"' not in detail
    services.offer_choose(user=family, offer=offer, share_care_notes=True)
    assert not ContactShare.objects.filter(care_notes=True).exists()
    response = client.post(reverse("brokerage:share_care_notes", args=[found.pk]), follow=True)
    assert "You did not tell us anything about communication" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "other_family", *ROLES[1:], "superuser"])
def test_only_the_family_shares_their_notes(client, request, offers, family, make_family, role):
    sam, _ = offers
    services.offer_choose(user=family, offer=sam)
    if role == "other_family":
        client.force_login(make_family("other-family"))
    elif role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("brokerage:share_care_notes", args=[sam.request_id]))
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:
        assert "/sign-in/" in response["Location"]
    assert not ContactShare.objects.filter(care_notes=True).exists()


def test_sharing_the_notes_is_recorded_what_with_whom_why_and_when(client, offers, family):
    sam, _ = offers
    services.offer_choose(user=family, offer=sam, share_care_notes=True)
    share = ContactShare.objects.get(care_notes=True)
    assert (share.offer, share.organisation, share.shared_by) == (sam, sam.organisation, family)
    assert share.purpose == "To keep them safe without the family having to explain it all again"
    audit = AuditEvent.objects.get(action="brokerage_care_notes_shared")
    assert MEDICATION not in audit.summary and "Amir" not in audit.summary
    client.force_login(family)
    detail = client.get(reverse("brokerage:detail", args=[sam.request_id])).content.decode()
    assert (
        "your notes on communication, personal care and health (including medication) and "
        "behaviour, with the first name and age of the person they are about" in detail
    )
    exported = json.loads(client.get(reverse("brokerage:my_data")).content)
    shared = exported["requests"][0]["contact_details_shared"]
    assert any("behaviour" in row["what"] for row in shared)
