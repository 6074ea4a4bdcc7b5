"""An agreement that falls through: the family chose a provider, but the support cannot be
agreed after all. Only the assigned broker says so, with a reason; the request goes back to
them to look again, the chosen offer is withdrawn, an unconfirmed agreement is cancelled with
its terms kept in the history, and the record of contact details shared stays."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from brokerage import services
from brokerage.choices import OfferStatus, Outcome, Role, Status, UnmatchedReason
from brokerage.models import Agreement, ContactShare, Offer, RequestOutcome, SupportRequest
from core.models import AuditEvent
from core.workflow import TransitionRefused
from directory.models import ListingPage
from tests.factories.directory import PersonalAssistantPageFactory

from .conftest import accept, tomorrow, write_up

REASON = "Sam can no longer do Saturdays"


@pytest.fixture
def chosen(assigned, broker_ready, listing, pa_editor, family):
    """The family has chosen Sam; their contact details have gone to Sam."""
    [offer] = services.offers_send(user=broker_ready, request=assigned, listings=[listing])
    accept(offer, pa_editor)
    services.offer_choose(user=family, offer=offer)
    offer.refresh_from_db()
    return offer


@pytest.fixture
def drafted(chosen, broker_ready, family):
    """The broker has written up the agreement and the family has confirmed it; the provider
    has not yet."""
    return write_up(chosen.request, broker=broker_ready, family=family)


def fall_through(user, request, reason=REASON, **kwargs):
    return services.agreement_fell_through(
        user=user, request=SupportRequest.objects.get(pk=request.pk), reason=reason, **kwargs
    )


def test_the_request_goes_back_to_the_broker_with_the_reason_in_its_history(drafted, broker_ready):
    request = drafted.request
    fall_through(broker_ready, request)
    request.refresh_from_db()
    assert request.status == Status.ASSIGNED and request.broker == broker_ready
    event = request.events.get(
        offer__isnull=True, from_status=Status.AGREEING, to_status=Status.ASSIGNED
    )
    assert event.role == Role.BROKER and event.actor == broker_ready
    assert event.note == f"Agreement fell through: {REASON}"


def test_the_chosen_offer_is_withdrawn_and_logged_with_the_reason(drafted, broker_ready):
    offer = drafted.offer
    fall_through(broker_ready, drafted.request)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    event = offer.events.get(from_status=OfferStatus.CHOSEN)
    assert event.to_status == OfferStatus.WITHDRAWN and event.role == Role.BROKER
    assert REASON in event.note


def test_an_unconfirmed_agreement_is_cancelled_and_its_terms_stay_in_the_history(
    drafted, broker_ready
):
    request = drafted.request
    fall_through(broker_ready, request)
    assert not Agreement.objects.filter(pk=drafted.pk).exists()
    note = request.events.filter(note__startswith="The agreement written up").get().note
    assert "6.0 hours a week at £15.00 an hour" in note
    assert "the family confirmed on" in note and "provider confirmed" not in note
    audit = AuditEvent.objects.get(action="brokerage_agreement_cancelled")
    assert audit.actor == broker_ready and audit.object_id == str(request.pk)
    assert "£15.00" in audit.summary


def test_the_record_of_contact_details_shared_stays(drafted, broker_ready):
    share = ContactShare.objects.get(request=drafted.request)
    fall_through(broker_ready, drafted.request)
    assert list(ContactShare.objects.filter(request=drafted.request)) == [share]


def test_an_agreement_falls_through_before_it_is_written_up(chosen, broker_ready):
    fall_through(broker_ready, chosen.request)
    chosen.refresh_from_db()
    assert chosen.status == OfferStatus.WITHDRAWN
    assert chosen.request.__class__.objects.get(pk=chosen.request_id).status == Status.ASSIGNED
    assert not chosen.request.events.filter(note__startswith="The agreement written up").exists()


def test_the_family_and_the_provider_are_told_why(
    drafted, broker_ready, family, pa_editor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fall_through(broker_ready, drafted.request)
    to_family = [m for m in mailoutbox if m.to == [family.email]]
    to_provider = [m for m in mailoutbox if m.to == [pa_editor.email]]
    assert len(to_family) == 1 and len(to_provider) == 1
    assert "Sam, PA in Hexham will not go ahead" in to_family[0].body
    assert REASON in to_family[0].body
    assert "looking again for support for your child" in to_family[0].body
    assert "Amir" not in to_family[0].body  # never a child's name in an email
    assert REASON in to_provider[0].body and "use them for nothing else" in to_provider[0].body
    assert family.notifications.filter(kind="brokerage_family_update").exists()
    assert pa_editor.notifications.filter(kind="brokerage_offer_outcome").exists()
    assert not [m for m in mailoutbox if m.to == [broker_ready.email]]  # they did it


@pytest.mark.parametrize("who", ["other_broker", "family", "pa_editor", "provider_a"])
def test_only_the_assigned_broker_can_say_an_agreement_fell_through(request, drafted, who):
    with pytest.raises(PermissionDenied, match="not assigned to you"):
        fall_through(request.getfixturevalue(who), drafted.request)
    assert SupportRequest.objects.get(pk=drafted.request_id).status == Status.AGREEING
    assert Agreement.objects.filter(pk=drafted.pk).exists()
    assert Offer.objects.get(pk=drafted.offer_id).status == OfferStatus.CHOSEN


@pytest.mark.parametrize("reason", ["", "   \n ", "x" * 301])
def test_a_reason_is_needed_and_kept_short(drafted, broker_ready, reason):
    with pytest.raises(ValidationError) as error:
        fall_through(broker_ready, drafted.request, reason=reason)
    assert "reason" in error.value.message_dict
    assert SupportRequest.objects.get(pk=drafted.request_id).status == Status.AGREEING
    assert Agreement.objects.filter(pk=drafted.pk).exists()


def test_a_broker_who_acts_after_both_have_confirmed_is_told_and_nothing_changes(
    drafted, broker_ready, pa_editor
):
    """The broker opened the page while the request was agreeing; meanwhile the provider
    confirmed too, so the support is agreed and capacity taken."""
    seen = SupportRequest.objects.get(pk=drafted.request_id).status
    services.agreement_confirm(user=pa_editor, agreement=drafted)
    capacity = ListingPage.objects.get(pk=drafted.offer.listing_id).capacity_now
    with pytest.raises(TransitionRefused) as refused:
        fall_through(broker_ready, drafted.request, expected_status=seen)
    message = refused.value.messages[0]
    assert "Someone else has changed this request" in message and "Support agreed" in message
    drafted.refresh_from_db()
    assert drafted.confirmed and drafted.offer.status == OfferStatus.CHOSEN
    assert SupportRequest.objects.get(pk=drafted.request_id).status == Status.MATCHED
    assert ListingPage.objects.get(pk=drafted.offer.listing_id).capacity_now == capacity


def test_a_confirmed_agreement_cannot_fall_through_whatever_status_is_claimed(
    drafted, broker_ready, pa_editor
):
    services.agreement_confirm(user=pa_editor, agreement=drafted)
    with pytest.raises(TransitionRefused, match="cannot move"):
        fall_through(broker_ready, drafted.request, expected_status=None)
    assert Agreement.objects.get(pk=drafted.pk).confirmed


def test_only_a_request_being_agreed_can_fall_through(assigned, broker_ready):
    with pytest.raises(TransitionRefused):
        fall_through(broker_ready, assigned, expected_status=None)
    with pytest.raises(TransitionRefused, match="Someone else has changed"):
        fall_through(broker_ready, assigned)  # expects "agreeing" by default


def test_afterwards_the_broker_sends_new_offers_and_may_ask_the_same_provider_again(
    drafted, broker_ready, listing
):
    fall_through(broker_ready, drafted.request)
    request = SupportRequest.objects.get(pk=drafted.request_id)
    other = PersonalAssistantPageFactory(dbs=True, title="Jo, PA in Corbridge")
    offers = services.offers_send(
        user=broker_ready, request=request, listings=[other, listing], expected_status="assigned"
    )
    assert [o.status for o in offers] == [OfferStatus.SENT, OfferStatus.SENT]
    request.refresh_from_db()
    assert request.status == Status.OFFERS_SENT


# --- In the workspace ------------------------------------------------------------------------


def request_url(request):
    return reverse("brokerage_admin:request", args=[request.pk])


def test_the_button_is_on_the_request_page_only_while_agreeing(client, chosen, broker_ready):
    client.force_login(broker_ready)
    url = request_url(chosen.request)
    assert 'value="fell_through"' in client.get(url).content.decode()
    fall_through(broker_ready, chosen.request)
    assert 'value="fell_through"' not in client.get(url).content.decode()


def test_the_broker_says_it_fell_through_from_the_request_page(client, drafted, broker_ready):
    client.force_login(broker_ready)
    url = request_url(drafted.request)
    response = client.post(
        url, {"action": "fell_through", "expected_status": "agreeing", "reason": REASON}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "The agreement fell through" in page and f"Agreement fell through: {REASON}" in page
    assert SupportRequest.objects.get(pk=drafted.request_id).status == Status.ASSIGNED


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Say why the agreement fell through"),
        ("x" * 301, "Keep the reason to 300 characters or fewer"),
    ],
)
def test_a_missing_or_long_reason_is_explained_on_the_page(
    client, drafted, broker_ready, reason, message
):
    client.force_login(broker_ready)
    response = client.post(
        request_url(drafted.request),
        {"action": "fell_through", "expected_status": "agreeing", "reason": reason},
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert SupportRequest.objects.get(pk=drafted.request_id).status == Status.AGREEING


def test_a_stale_page_is_told_the_request_has_changed(client, drafted, broker_ready, pa_editor):
    services.agreement_confirm(user=pa_editor, agreement=drafted)
    client.force_login(broker_ready)
    response = client.post(
        request_url(drafted.request),
        {"action": "fell_through", "expected_status": "agreeing", "reason": REASON},
        follow=True,
    )
    page = response.content.decode()
    assert "Someone else has changed this request" in page and "Nothing was changed" in page
    assert SupportRequest.objects.get(pk=drafted.request_id).status == Status.MATCHED


@pytest.mark.parametrize("who", ["other_broker", "family", "pa_editor"])
def test_nobody_else_can_press_the_button(client, request, drafted, who):
    client.force_login(request.getfixturevalue(who))
    client.post(
        request_url(drafted.request),
        {"action": "fell_through", "expected_status": "agreeing", "reason": REASON},
    )
    assert SupportRequest.objects.get(pk=drafted.request_id).status == Status.AGREEING
    assert Agreement.objects.filter(pk=drafted.pk).exists()


def test_the_family_sees_why_and_still_sees_who_has_their_details(
    client, drafted, broker_ready, family
):
    fall_through(broker_ready, drafted.request)
    client.force_login(family)
    page = client.get(reverse("brokerage:detail", args=[drafted.request_id])).content.decode()
    assert f"Agreement fell through: {REASON}" in page
    assert "Who we have shared your details with" in page
    assert "Confirm the agreement" not in page and "Your chosen provider" not in page


def test_the_provider_no_longer_sees_the_familys_contact_details(
    client, drafted, broker_ready, pa_editor
):
    client.force_login(pa_editor)
    url = reverse("brokerage_admin:offer", args=[drafted.offer_id])
    assert "07700 900456" in client.get(url).content.decode()
    fall_through(broker_ready, drafted.request)
    page = client.get(url).content.decode()
    assert "07700 900456" not in page and "Confirm the agreement" not in page


def test_an_agreement_is_never_written_up_on_a_request_that_fell_through_meanwhile(
    chosen, broker_ready
):
    """The broker opened the write-up form while the request was being agreed; before they
    saved it, the agreement fell through (another tab, or a colleague). Saving is refused."""
    seen_while_agreeing = SupportRequest.objects.get(pk=chosen.request_id)
    fall_through(broker_ready, chosen.request)
    with pytest.raises(TransitionRefused, match="Nothing was saved"):
        services.agreement_draft(
            user=broker_ready,
            request=seen_while_agreeing,
            hours_per_week=Decimal("6"),
            rate=Decimal("15"),
            funding=seen_while_agreeing.funding,
            start_date=tomorrow(),
        )
    assert not Agreement.objects.filter(request_id=chosen.request_id).exists()


def test_the_outcome_still_counts_the_offer_the_provider_accepted_before_it_fell_through(
    drafted, broker_ready
):
    request = drafted.request
    fall_through(broker_ready, request)
    services.request_close_unmatched(
        user=broker_ready,
        request=SupportRequest.objects.get(pk=request.pk),
        reasons=[UnmatchedReason.values[0]],
    )
    outcome = RequestOutcome.objects.get(request=request)
    assert outcome.outcome == Outcome.UNMATCHED
    assert (outcome.offers_sent, outcome.offers_accepted) == (1, 1)
