"""Offers to providers and the family's choice: sending, accepting, declining, expiring, choosing
and refusing them all.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit
from core.dates import today
from core.workflow import TransitionRefused

from .. import notifications, permissions
from ..choices import DeclineReason, OfferStatus, Status
from ..models import ContactShare, Offer, RequestEvent, SupportRequest
from ..personal_details import personal_details_in, refusal
from ..workflow import OFFERS, REQUESTS
from ._common import B_, F_, describe, event_note, own_request, require_own
from .brokers import anonymised_summary, refuse_affiliated

CONTACT_FIELDS = "name, email address, phone number"
SHARE_PURPOSE = "To arrange the support the family chose"
CARE_FIELDS = (
    "notes on communication, personal care and health (including medication) and behaviour, "
    "with the first name and age of the person they are about"
)
CARE_PURPOSE = "To keep them safe without the family having to explain it all again"
CARE_NOTES_STATUSES = (Status.AGREEING, Status.MATCHED)


def care_notes(request: SupportRequest) -> list[tuple[str, str]]:
    """What the family told us that the provider they chose needs to keep the child (or the
    young person) safe, as (label, words). Empty if they told us none of it."""
    rows = [
        ("Communication", request.communication),
        ("Personal care and health, including medication", request.care_and_health),
        ("Behaviour support", request.behaviour_support),
    ]
    if not any(words.strip() for _, words in rows):
        return []
    who = [("First name", request.child_first_name)] if request.child_first_name else []
    age = [("Age", str(request.age))] if request.age is not None else []
    return [*who, *age, *[(label, words or "Nothing added") for label, words in rows]]


def record_care_notes_shared(*, user, request: SupportRequest, offer: Offer) -> ContactShare:
    share = ContactShare.objects.create(
        request=request,
        organisation=offer.organisation,
        offer=offer,
        fields_shared=CARE_FIELDS,
        care_notes=True,
        purpose=CARE_PURPOSE,
        shared_by=user,
    )
    event_note(
        request=request,
        actor=user,
        role=F_,
        offer=offer,
        note=f"Notes on communication, care and behaviour shared with {offer.listing.title}",
    )
    audit(
        actor=user,
        action="brokerage_care_notes_shared",
        obj=request,
        summary=f"Family's care notes shared with {offer.organisation.name}"[:255],
    )
    return share


def offers_send(*, user, request: SupportRequest, listings, note: str = "", expected_status=None):
    """Send the anonymised summary to the chosen providers. The request moves to "asking
    providers" the first time; more offers may follow while the family has not chosen."""
    require_own(user, request)
    listings = list(listings)
    if not listings:
        raise ValidationError("Choose at least one provider to ask")
    found = personal_details_in(note, request)
    if found:
        raise ValidationError({"note": refusal(found)})
    for listing in listings:
        refuse_affiliated(user, listing)
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if expected_status is not None and locked.status != expected_status:
            raise TransitionRefused(
                f"Someone else has changed this request since you opened it: it is now "
                f"“{describe(locked.status)}”. Nothing was sent."
            )
        if locked.status not in (Status.ASSIGNED, Status.OFFERS_SENT, Status.CHOOSING):
            raise TransitionRefused(
                f"Offers cannot be sent while a request is “{describe(locked.status)}”."
            )
        summary = anonymised_summary(locked)
        expires = timezone.now() + datetime.timedelta(days=settings.BROKERAGE_OFFER_EXPIRY_DAYS)
        offers = []
        for listing in listings:
            live = locked.offers.filter(listing=listing).exclude(
                status__in=[OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.WITHDRAWN]
            )
            if live.exists():
                raise TransitionRefused(f"{listing.title} has already been asked.")
            offer = Offer.objects.create(
                request=locked,
                listing=listing,
                organisation_id=listing.organisation_id,
                summary=summary,
                broker_note=note[:500],
                sent_by=user,
                expires_at=expires,
            )
            RequestEvent.objects.create(
                request=locked,
                offer=offer,
                actor=user,
                role=B_,
                from_status="",
                to_status=OfferStatus.SENT,
                note=f"Offer sent to {listing.title}",
            )
            offers.append(offer)
        if locked.status == Status.ASSIGNED:
            REQUESTS.move(
                locked,
                Status.OFFERS_SENT,
                user=user,
                note=f"Asked {len(offers)} provider(s)",
            )
        for offer in offers:
            notifications.offer_sent(offer, user)
    request.status = locked.status
    return offers


def require_answerable(user, offer: Offer) -> None:
    if not permissions.can_answer_offer(user, offer):
        raise PermissionDenied("This offer was not sent to your organisation")
    if offer.status == OfferStatus.SENT and offer.expires_at <= timezone.now():
        raise TransitionRefused("This request for help has expired, so it cannot be answered.")


def offer_accept(
    *, user, offer: Offer, proposed_hours, rate, start_date: datetime.date, note: str = ""
) -> Offer:
    require_answerable(user, offer)
    errors = {}
    if proposed_hours is None or proposed_hours <= 0:
        errors["proposed_hours"] = "Enter the hours a week you can offer, more than 0"
    if rate is None or rate < 0:
        errors["rate"] = "Enter your hourly rate in pounds, like 15.50"
    if start_date is None or start_date < today():
        errors["start_date"] = "The start date must be today or in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=offer.request_id)
        OFFERS.move(
            offer,
            OfferStatus.ACCEPTED,
            user=user,
            note=f"{offer.organisation.name} can help",
            changes={
                "answered_by": user,
                "answered_at": timezone.now(),
                "proposed_hours": proposed_hours,
                "rate": rate,
                "start_date": start_date,
                "provider_note": note[:500],
            },
        )
        if request.status == Status.OFFERS_SENT:
            REQUESTS.move(
                request,
                Status.CHOOSING,
                user=user,
                note="A provider can help",
            )
        elif request.status == Status.CHOOSING:
            notifications.after_transition(request, Status.CHOOSING, Status.CHOOSING, user)
        notifications.offer_answered(offer, user)
    return offer


def offer_decline(*, user, offer: Offer, reason: str, note: str = "") -> Offer:
    require_answerable(user, offer)
    if reason not in DeclineReason.values:
        raise ValidationError({"decline_reason": "Choose why you cannot help"})
    with transaction.atomic():
        request = SupportRequest.objects.select_for_update().get(pk=offer.request_id)
        OFFERS.move(
            offer,
            OfferStatus.DECLINED,
            user=user,
            note=f"{offer.organisation.name} cannot help: {DeclineReason(reason).label}",
            changes={
                "answered_by": user,
                "answered_at": timezone.now(),
                "decline_reason": reason,
                "provider_note": note[:500],
            },
        )
        notifications.offer_answered(offer, user)
        back_to_broker_if_none_left(request, actor=user)
    return offer


def back_to_broker_if_none_left(request: SupportRequest, actor=None) -> None:
    live = request.offers.filter(status__in=[OfferStatus.SENT, OfferStatus.ACCEPTED])
    if request.status == Status.OFFERS_SENT and not live.exists():
        REQUESTS.move(
            request,
            Status.ASSIGNED,
            user=actor,
            system=True,
            note="No provider asked can help: back to the broker",
        )


def withdraw_live_offers(request: SupportRequest, *, actor, news: str, keep=None) -> None:
    live = request.offers.filter(
        status__in=[OfferStatus.SENT, OfferStatus.ACCEPTED, OfferStatus.CHOSEN]
    )
    if keep is not None:
        live = live.exclude(pk=keep.pk)
    for offer in live:
        to = OfferStatus.WITHDRAWN
        if offer.status == OfferStatus.ACCEPTED and keep is not None:
            to = OfferStatus.NOT_CHOSEN
        OFFERS.move(
            offer,
            to,
            user=actor,
            system=True,
            note=news,
        )
        notifications.offer_outcome(offer, actor, news)


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Offers nobody answered in time expire (run by `send_brokerage_reminders`)."""
    now = now or timezone.now()
    count = 0
    for offer in Offer.objects.filter(status=OfferStatus.SENT, expires_at__lte=now):
        with transaction.atomic():
            request = SupportRequest.objects.select_for_update().get(pk=offer.request_id)
            try:
                OFFERS.move(
                    offer,
                    OfferStatus.EXPIRED,
                    user=None,
                    system=True,
                    note="No answer in time",
                )
            except TransitionRefused:
                continue
            notifications.offer_outcome(offer, None, "The request for your help has expired.")
            notifications.offer_answered(offer, None)
            back_to_broker_if_none_left(request)
            count += 1
    return count


def offer_choose(
    *, user, offer: Offer, expected_status=Status.CHOOSING, share_care_notes: bool = False
) -> Offer:
    """The family chooses an accepted offer. Only now do their contact details go to that
    provider, and the sharing is recorded with its purpose. If the family also agrees
    (`share_care_notes`), what they told us about communication, care and behaviour goes to
    that provider too, recorded the same way (`care_notes_share` does it later)."""
    request = offer.request
    own_request(user, request)
    if offer.status != OfferStatus.ACCEPTED:
        raise TransitionRefused("You can only choose an offer the provider has accepted.")
    if not request.consent_to_share:
        raise TransitionRefused("We need your agreement to share your details first.")
    share_care_notes = bool(share_care_notes and care_notes(request))
    with transaction.atomic():
        request = REQUESTS.move(
            request,
            Status.AGREEING,
            user=user,
            expected_status=expected_status,
            note=f"Chose {offer.listing.title}",
        )
        OFFERS.move(
            offer,
            OfferStatus.CHOSEN,
            user=user,
            note="Chosen by the family",
        )
        withdraw_live_offers(
            request,
            actor=user,
            keep=offer,
            news="The family has chosen another provider. Thank you for offering.",
        )
        ContactShare.objects.create(
            request=request,
            organisation=offer.organisation,
            offer=offer,
            fields_shared=CONTACT_FIELDS,
            purpose=SHARE_PURPOSE,
            shared_by=user,
        )
        audit(
            actor=user,
            action="brokerage_contact_shared",
            obj=request,
            summary=f"Family contact details shared with {offer.organisation.name}"[:255],
        )
        if share_care_notes:
            record_care_notes_shared(user=user, request=request, offer=offer)
        notifications.offer_outcome(
            offer,
            user,
            "The family has chosen you. Their contact details"
            + (
                ", and what they told us about communication, care and behaviour, are"
                if share_care_notes
                else " are"
            )
            + " now in the offer, so you can arrange the support. The broker will write up "
            "the agreement.",
        )
    return offer


def care_notes_share(*, user, request: SupportRequest) -> ContactShare:
    """The family shares their notes on communication, care and behaviour with the provider
    they chose, after choosing (if they did not tick the box then). Once per choice."""
    own_request(user, request)
    if not care_notes(request):
        raise ValidationError(
            "You did not tell us anything about communication, care or behaviour."
        )
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        offer = locked.offers.filter(status=OfferStatus.CHOSEN).select_related("listing").first()
        if locked.status not in CARE_NOTES_STATUSES or offer is None:
            raise TransitionRefused(
                "You can share these notes only with a provider you have chosen. "
                "Nothing was shared."
            )
        existing = offer.shares.filter(care_notes=True).first()
        if existing is not None:
            return existing  # pressed twice: shared once
        share = record_care_notes_shared(user=user, request=locked, offer=offer)
        notifications.offer_outcome(
            offer,
            user,
            "The family has shared what they told us about communication, care and "
            "behaviour. It is now in the offer.",
        )
    return share


def offers_refuse_all(*, user, request: SupportRequest, expected_status=Status.CHOOSING):
    """None of the offers suit the family: back to the broker to look again."""
    own_request(user, request)
    with transaction.atomic():
        request = REQUESTS.move(
            request,
            Status.ASSIGNED,
            user=user,
            expected_status=expected_status,
            note="None of the offers suit the family",
        )
        for offer in request.offers.filter(status=OfferStatus.ACCEPTED):
            OFFERS.move(
                offer,
                OfferStatus.NOT_CHOSEN,
                user=user,
                note="Not chosen",
            )
            notifications.offer_outcome(offer, user, "The family did not choose this offer.")
        withdraw_live_offers(request, actor=user, news="The family's request has moved on.")
    return request
