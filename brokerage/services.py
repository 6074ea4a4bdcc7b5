"""Writes for brokerage: keyword-only, atomic, permission-checked.

Every change of a request's or an offer's status goes through the product's one workflow
engine (`core.workflow`, with brokerage's tables in `brokerage/workflow.py`): it locks the
row, works out the person's role, refuses an illegal move, a move by the wrong role or one
based on a status that has changed since the person looked, writes the event row and notifies.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.audit import audit
from core.dates import add_months, today
from core.reminders import send_once
from core.workflow import TransitionRefused
from directory.models import ListingPage
from search.demand import DAY_CODES, age_band
from search.models import UnmetDemand

from . import notifications, permissions
from .choices import (
    DeclineReason,
    OfferStatus,
    Outcome,
    Requester,
    Role,
    Status,
    SupportKind,
    UnmatchedReason,
)
from .models import (
    Affiliation,
    Agreement,
    BrokerProfile,
    Candidate,
    ContactShare,
    FamilyProfile,
    Offer,
    RequestEvent,
    RequestOutcome,
    Review,
    SupportRequest,
)
from .notifications import Message
from .workflow import OFFERS, REQUESTS

F_ = Role.FAMILY
B_ = Role.BROKER
S_ = Role.SYSTEM

CONTACT_FIELDS = "name, email address, phone number"
SHARE_PURPOSE = "To arrange the support the family chose"


def describe(status: str) -> str:
    return Status(status).label


def event_note(*, request: SupportRequest, actor, role: str, note: str, offer=None) -> None:
    """An event that is not a move (e.g. first contact made): from and to are the same."""
    RequestEvent.objects.create(
        request=request,
        offer=offer,
        actor=actor,
        role=role,
        from_status=request.status,
        to_status=request.status,
        note=note[:500],
    )


# --- The family's request --------------------------------------------------------------------

PROFILE_FIELDS = (
    "requester",
    "child_first_name",
    "age",
    "communication",
    "care_and_health",
    "behaviour_support",
    "support_kinds",
    "time_from",
    "time_to",
    "term_time",
    "school_holidays",
    "hours_per_week",
    "postcode_sector",
    "latitude",
    "longitude",
    "local_authority_code",
    "rural",
    "travel_miles",
    "pa_gender",
    "language_id",
    "culture_faith",
    "funding_id",
    "hourly_budget",
    "contact_name",
    "contact_phone",
)
PROFILE_M2M = ("needs", "skills", "days")


def require_family(user) -> None:
    if not permissions.is_family(user):
        raise PermissionDenied("Only a family account can make a request")


def own_request(user, request: SupportRequest) -> None:
    if request.family_id != user.pk:
        raise PermissionDenied("This is not your request")


@transaction.atomic
def draft_create(*, user) -> SupportRequest:
    """A new draft, filled in with what the family told us last time (tell it once)."""
    require_family(user)
    draft = SupportRequest.objects.create(family=user)
    profile = FamilyProfile.objects.filter(user=user).first()
    if profile and profile.answers:
        answers = profile.answers
        for field in PROFILE_FIELDS:
            if field in answers:
                value = answers[field]
                if field in ("time_from", "time_to") and value:
                    value = datetime.time.fromisoformat(value)
                if field in ("hours_per_week", "hourly_budget") and value is not None:
                    value = Decimal(value)
                setattr(draft, field, value)
        draft.save()
        for field in PROFILE_M2M:
            getattr(draft, field).set(answers.get(field, []))
    RequestEvent.objects.create(
        request=draft,
        actor=user,
        role=F_,
        from_status="",
        to_status=Status.DRAFT,
        note="Started" + (" from the family's saved answers" if profile else ""),
    )
    return draft


@transaction.atomic
def draft_save(*, user, request: SupportRequest, values: dict) -> SupportRequest:
    """Save one page's answers to a draft (as the family goes)."""
    own_request(user, request)
    locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != Status.DRAFT:
        raise TransitionRefused("This request has been sent, so its answers cannot be changed.")
    m2m = {k: values.pop(k) for k in list(values) if k in PROFILE_M2M}
    for field, value in values.items():
        setattr(locked, field, value)
    if "consent_to_share" in values:
        locked.consent_at = timezone.now() if values["consent_to_share"] else None
    locked.full_clean(exclude=["family"])
    locked.save()
    for field, value in m2m.items():
        getattr(locked, field).set(value)
    return locked


def missing_answers(request: SupportRequest) -> list[tuple[str, str]]:
    """(step, message) for every answer a request still needs before it can be sent."""
    missing = []
    if not request.requester:
        missing.append(("who", "Say who is asking"))
    if request.age is None:
        missing.append(("age", "Give the age of the person the support is for"))
    elif request.requester == Requester.YOUNG_PERSON and request.age < 16:
        missing.append(("age", "A young person asking for themself must be 16 or over"))
    if not request.support_kinds:
        missing.append(("support", "Choose what kind of support"))
    if not request.postcode_sector:
        missing.append(("postcode", "Give your postcode"))
    if request.funding_id is None:
        missing.append(("funding", "Say how the support will be paid for"))
    if not request.consent_to_share:
        missing.append(("consent", "Agree to share the anonymous summary with providers"))
    return missing


def request_submit(*, user, request: SupportRequest) -> SupportRequest:
    own_request(user, request)
    missing = missing_answers(request)
    if missing:
        raise ValidationError([message for _, message in missing])
    with transaction.atomic():
        request = REQUESTS.move(
            request,
            Status.SUBMITTED,
            user=user,
            expected_status=Status.DRAFT,
            note="Sent to the brokerage team",
        )
        profile_update(user=user, request=request)
    return request


def profile_update(*, user, request: SupportRequest) -> FamilyProfile:
    answers = {}
    for field in PROFILE_FIELDS:
        value = getattr(request, field)
        if isinstance(value, (datetime.time, datetime.date)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        answers[field] = value
    for field in PROFILE_M2M:
        answers[field] = list(getattr(request, field).values_list("pk", flat=True))
    profile, _ = FamilyProfile.objects.update_or_create(
        user=user,
        defaults={
            "answers": answers,
            "contact_name": request.contact_name,
            "contact_phone": request.contact_phone,
        },
    )
    return profile


def request_withdraw(*, user, request: SupportRequest, expected_status=None, note="") -> None:
    if request.family_id != user.pk and not permissions.can_act_as_broker(user, request):
        raise PermissionDenied("You cannot withdraw this request")
    with transaction.atomic():
        request = REQUESTS.move(
            request,
            Status.WITHDRAWN,
            user=user,
            expected_status=expected_status,
            note=note or "Withdrawn",
        )
        withdraw_live_offers(request, actor=user, news="The family's request was withdrawn.")
        if request.submitted_at is not None:
            outcome_record(request=request, outcome=Outcome.WITHDRAWN)


# --- Brokers ---------------------------------------------------------------------------------


def require_broker(user) -> BrokerProfile:
    if not permissions.is_broker(user):
        raise PermissionDenied("Only a broker can do this")
    profile, _ = BrokerProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def code_of_conduct_accept(*, user) -> BrokerProfile:
    profile = require_broker(user)
    profile.code_of_conduct_version = settings.BROKERAGE_CODE_OF_CONDUCT_VERSION
    profile.code_of_conduct_accepted_at = timezone.now()
    profile.save()
    audit(
        actor=user,
        action="broker_code_accepted",
        obj=profile,
        summary=f"Code of conduct {profile.code_of_conduct_version} accepted",
    )
    return profile


@transaction.atomic
def broker_areas_set(*, user, areas) -> BrokerProfile:
    profile = require_broker(user)
    profile.areas.set(areas)
    return profile


@transaction.atomic
def affiliation_declare(*, user, organisation, nature: str) -> Affiliation:
    require_broker(user)
    if not nature.strip():
        raise ValidationError({"nature": "Say how you are linked to this provider"})
    affiliation, _ = Affiliation.objects.update_or_create(
        broker=user, organisation=organisation, defaults={"nature": nature.strip()[:200]}
    )
    audit(
        actor=user,
        action="broker_affiliation_declared",
        obj=affiliation,
        summary=f"Affiliation with {organisation.name} declared",
    )
    return affiliation


def conflicting_organisations(user, request: SupportRequest) -> list[str]:
    """Providers involved in the request (candidates or offers) the broker is affiliated with."""
    affiliated = permissions.affiliated_organisation_ids(user)
    if not affiliated:
        return []
    involved = set(
        request.offers.filter(organisation_id__in=affiliated).values_list(
            "organisation__name", flat=True
        )
    )
    involved |= set(
        request.candidates.filter(
            removed=False, listing__organisation_id__in=affiliated
        ).values_list("listing__organisation__name", flat=True)
    )
    return sorted(involved)


def request_assign(*, user, request: SupportRequest, expected_status=Status.SUBMITTED):
    """A broker takes a request from the queue. Two brokers at once: one wins, the other is
    told who has it."""
    profile = require_broker(user)
    if not profile.accepted_code:
        raise PermissionDenied("Accept the brokers' code of conduct before taking requests")
    if request.local_authority_code not in permissions.broker_areas(user):
        raise PermissionDenied("This request is not in your council areas")
    conflicts = conflicting_organisations(user, request)
    if conflicts:
        raise TransitionRefused(
            "You cannot take this request: it involves "
            + ", ".join(conflicts)
            + ", which you have declared an affiliation with."
        )
    return REQUESTS.move(
        request,
        Status.ASSIGNED,
        user=user,
        expected_status=expected_status,
        note="Assigned",
        changes={"broker": user, "assigned_at": timezone.now()},
    )


def require_own(user, request: SupportRequest) -> None:
    if not permissions.can_act_as_broker(user, request):
        raise PermissionDenied("This request is not assigned to you")


def request_release(*, user, request: SupportRequest, expected_status=Status.ASSIGNED, note=""):
    require_own(user, request)
    return REQUESTS.move(
        request,
        Status.SUBMITTED,
        user=user,
        expected_status=expected_status,
        note=note or "Returned to the queue",
        changes={"broker": None, "assigned_at": None},
    )


@transaction.atomic
def first_contact_record(*, user, request: SupportRequest, note: str = "") -> None:
    require_own(user, request)
    locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if locked.first_contact_at is None:
        locked.first_contact_at = timezone.now()
        locked.save(update_fields=["first_contact_at", "updated_at"])
        request.first_contact_at = locked.first_contact_at
    event_note(request=locked, actor=user, role=B_, note=("First contact made. " + note).strip())


# --- Candidates and offers ---------------------------------------------------------------------


def refuse_affiliated(user, listing: ListingPage) -> None:
    if listing.organisation_id in permissions.affiliated_organisation_ids(user):
        raise TransitionRefused(
            f"You have declared an affiliation with {listing.organisation.name}, so you cannot "
            "put them forward. Ask another broker to take this request."
        )


@transaction.atomic
def candidate_add(
    *, user, request: SupportRequest, listing: ListingPage, note: str = ""
) -> Candidate:
    require_own(user, request)
    refuse_affiliated(user, listing)
    candidate, created = Candidate.objects.get_or_create(
        request=request,
        listing=listing,
        defaults={"added_by": user, "by_hand": True, "note": note[:300]},
    )
    if not created and candidate.removed:
        candidate.removed = False
        candidate.save()
    event_note(request=request, actor=user, role=B_, note=f"Candidate added: {listing.title}")
    return candidate


@transaction.atomic
def candidate_remove(*, user, request: SupportRequest, listing: ListingPage, note: str = ""):
    require_own(user, request)
    candidate, _ = Candidate.objects.get_or_create(
        request=request, listing=listing, defaults={"added_by": user}
    )
    candidate.removed = True
    candidate.note = note[:300]
    candidate.save()
    event_note(request=request, actor=user, role=B_, note=f"Candidate removed: {listing.title}")
    return candidate


def anonymised_summary(request: SupportRequest) -> dict:
    """What a provider may see before the family chooses them: no name, address or contact."""
    from directory.models import Weekday

    kinds = [SupportKind(k).label for k in request.support_kinds if k in SupportKind.values]
    days = list(request.days.values_list("name", flat=True)) or list(
        Weekday.objects.none().values_list("name", flat=True)
    )
    times = ""
    if request.time_from and request.time_to:
        times = f"{request.time_from:%H:%M} to {request.time_to:%H:%M}"
    when = [
        w
        for w, on in (
            ("term time", request.term_time),
            ("school holidays", request.school_holidays),
        )
        if on
    ]
    return {
        "reference": request.reference,
        "age_band": age_band(request.age),
        "needs": list(request.needs.values_list("name", flat=True)),
        "skills": list(request.skills.values_list("name", flat=True)),
        "support": kinds,
        "area": f"{request.outcode} ({local_authority_label(request.local_authority_code)})",
        "days": days,
        "times": times,
        "when": when,
        "hours_per_week": str(request.hours_per_week) if request.hours_per_week else "",
        "funding": request.funding.name if request.funding else "",
        "hourly_budget": str(request.hourly_budget) if request.hourly_budget else "",
    }


def local_authority_label(code: str) -> str:
    from gazetteer.lookup import local_authority_name

    return local_authority_name(code) if code else ""


def offers_send(*, user, request: SupportRequest, listings, note: str = "", expected_status=None):
    """Send the anonymised summary to the chosen providers. The request moves to "asking
    providers" the first time; more offers may follow while the family has not chosen."""
    require_own(user, request)
    listings = list(listings)
    if not listings:
        raise ValidationError("Choose at least one provider to ask")
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


def offer_choose(*, user, offer: Offer, expected_status=Status.CHOOSING) -> Offer:
    """The family chooses an accepted offer. Only now do their contact details go to that
    provider, and the sharing is recorded with its purpose."""
    request = offer.request
    own_request(user, request)
    if offer.status != OfferStatus.ACCEPTED:
        raise TransitionRefused("You can only choose an offer the provider has accepted.")
    if not request.consent_to_share:
        raise TransitionRefused("We need your agreement to share your details first.")
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
        notifications.offer_outcome(
            offer,
            user,
            "The family has chosen you. Their contact details are now in the offer, so you "
            "can arrange the support. The broker will write up the agreement.",
        )
    return offer


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


# --- Agreement and reviews -------------------------------------------------------------------


def default_review_date(start: datetime.date) -> datetime.date:
    return add_months(start, settings.BROKERAGE_REVIEW_MONTHS)


def agreement_draft(
    *,
    user,
    request: SupportRequest,
    hours_per_week,
    rate,
    funding,
    start_date,
    review_date=None,
) -> Agreement:
    require_own(user, request)
    if request.status != Status.AGREEING:
        raise TransitionRefused("An agreement is written once the family has chosen a provider.")
    review_date = review_date or default_review_date(start_date)
    errors = {}
    if start_date < today():
        errors["start_date"] = "The start date must be today or in the future"
    if review_date <= start_date:
        errors["review_date"] = "The review date must be after the start date"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # Locked in the order `agreement_fell_through` and `agreement_confirm` lock them, and
        # the status checked again under the lock: an agreement never appears on a request
        # that fell through while the broker was writing it up.
        Agreement.objects.select_for_update().filter(request_id=request.pk).first()
        current = SupportRequest.objects.select_for_update().get(pk=request.pk).status
        if current != Status.AGREEING:
            raise TransitionRefused(
                f"This request is now “{describe(current)}”, so there is no agreement to "
                "write up. Nothing was saved."
            )
        offer = request.offers.get(status=OfferStatus.CHOSEN)
        agreement, _ = Agreement.objects.update_or_create(
            request=request,
            defaults=dict(
                offer=offer,
                hours_per_week=hours_per_week,
                rate=rate,
                funding=funding,
                start_date=start_date,
                review_date=review_date,
                drafted_by=user,
                drafted_at=timezone.now(),
                family_confirmed_at=None,
                provider_confirmed_at=None,
            ),
        )
        agreement.full_clean()
        event_note(request=request, actor=user, role=B_, note="Agreement written up")
        notifications.family_news(request, "Please check and confirm the agreement.", actor=user)
        notifications.agreement_to_confirm(agreement, user)
    return agreement


def agreement_confirm(*, user, agreement: Agreement) -> Agreement:
    """The family or the provider confirms. When both have, the request is matched, the
    provider's capacity goes down and the outcome is recorded."""
    request = agreement.request
    if request.family_id == user.pk:
        role, field = F_, "family_confirmed_at"
    elif permissions.can_answer_offer(user, agreement.offer):
        role, field = Role.PROVIDER, "provider_confirmed_at"
    else:
        raise PermissionDenied("Only the family and the chosen provider confirm an agreement")
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if request.status != Status.AGREEING:
            raise TransitionRefused("This agreement is no longer waiting to be confirmed.")
        if getattr(locked, field):
            raise TransitionRefused("You have already confirmed this agreement.")
        setattr(locked, field, timezone.now())
        if role == Role.PROVIDER:
            locked.provider_confirmed_by = user
        locked.save()
        event_note(
            request=request,
            actor=user,
            role=role,
            note=f"Agreement confirmed by the {Role(role).label.lower()}",
        )
        if locked.confirmed:
            locked.capacity_taken = capacity_take(locked, actor=user)
            locked.save()
            REQUESTS.move(
                request,
                Status.MATCHED,
                user=user,
                note="Agreement confirmed by the family and the provider",
            )
            outcome_record(request=request, outcome=Outcome.MATCHED)
            notifications.offer_outcome(
                locked.offer, user, "The agreement is confirmed by you and the family."
            )
    agreement.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


FELL_THROUGH_REASON_MAX = 300


def agreement_fell_through(
    *, user, request: SupportRequest, reason: str, expected_status=Status.AGREEING
) -> SupportRequest:
    """The family chose a provider, but the support cannot be agreed after all. The assigned
    broker says why, in a short reason the family and the provider both see, and the request
    goes back to them to look again (`assigned`), so they can send new offers.

    The chosen offer is withdrawn. An agreement written up but not confirmed by both is
    deleted: it never bound anyone, and its terms stay in the request's history and the audit
    trail. The record of the family's contact details shared with the provider stays: the
    sharing happened. A confirmed agreement cannot fall through this way: its request is
    already matched, and the move is refused."""
    require_own(user, request)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Say why the agreement fell through"})
    if len(reason) > FELL_THROUGH_REASON_MAX:
        raise ValidationError(
            {"reason": f"Keep the reason to {FELL_THROUGH_REASON_MAX} characters or fewer"}
        )
    with transaction.atomic():
        # The agreement before the request: the order `agreement_confirm` locks them in, so a
        # confirmation at the same moment waits for this (or this for it) and never deadlocks.
        draft = Agreement.objects.select_for_update().filter(request_id=request.pk).first()
        request = REQUESTS.move(
            request,
            Status.ASSIGNED,
            user=user,
            expected_status=expected_status,
            note=f"Agreement fell through: {reason}",
            notify=False,
        )
        if draft is not None:
            terms = agreement_terms(draft)
            event_note(
                request=request,
                actor=user,
                role=B_,
                note=f"The agreement written up was not confirmed by both and is cancelled: "
                f"{terms}",
            )
            audit(
                actor=user,
                action="brokerage_agreement_cancelled",
                obj=request,
                summary=f"Unconfirmed agreement cancelled: {terms}"[:255],
            )
            draft.delete()
        chosen = request.offers.filter(status=OfferStatus.CHOSEN).first()
        if chosen is not None:
            OFFERS.move(
                chosen,
                OfferStatus.WITHDRAWN,
                user=user,
                note=f"Agreement fell through: {reason}",
            )
            notifications.offer_outcome(
                chosen,
                user,
                f"The agreement for request {request.reference} will not go ahead. The broker "
                f"says: “{reason}”. The family's contact details were shared with you only to "
                "arrange this support: please use them for nothing else.",
            )
        provider = f" with {chosen.listing.title}" if chosen is not None else ""
        notifications.family_news(
            request,
            f"The agreement{provider} will not go ahead. Your broker says: “{reason}”. Your "
            f"broker is now looking again for support for {request.who_for}.",
            actor=user,
        )
    return request


def agreement_terms(agreement: Agreement) -> str:
    """The terms of an agreement in one line, for the history when it is cancelled."""
    confirmed = [
        f"{who} confirmed on {timezone.localtime(at):%-d %B %Y}"
        for who, at in (
            ("the family", agreement.family_confirmed_at),
            ("the provider", agreement.provider_confirmed_at),
        )
        if at
    ]
    return (
        f"{agreement.hours_per_week} hours a week at £{agreement.rate} an hour, "
        f"{agreement.funding.name}, from {agreement.start_date:%-d %B %Y}"
        + (f" ({'; '.join(confirmed)})" if confirmed else " (confirmed by nobody yet)")
    )


def capacity_take(agreement: Agreement, actor=None) -> int:
    """Places drop by one; hours by the hours agreed. Never below zero. Returns how much
    `capacity_now` went down.

    The amount agreed is also added to the listing's `capacity_agreed_total`, which its page
    revisions carry: a provider's draft written before this agreement (waiting for
    moderation, say), or an older version brought back, has it taken off when it is edited
    or published (`ListingPage.with_content_json`), so publishing never gives it back."""
    from directory.choices import CapacityUnit

    listing = ListingPage.objects.select_for_update().get(pk=agreement.offer.listing_id)
    agreed = 1
    if listing.capacity_unit == CapacityUnit.HOURS:
        agreed = int(agreement.hours_per_week.to_integral_value())
    taken = 0 if listing.capacity_now is None else min(agreed, listing.capacity_now)
    ListingPage.objects.filter(pk=listing.pk).update(
        capacity_now=F("capacity_now") - taken,
        capacity_agreed_total=F("capacity_agreed_total") + agreed,
    )
    if listing.capacity_unit == CapacityUnit.HOURS:
        unit = "hours a week"
    else:
        unit = "place" if agreed == 1 else "places"
    before = "not stated" if listing.capacity_now is None else listing.capacity_now
    after = "not stated" if listing.capacity_now is None else listing.capacity_now - taken
    audit(
        actor=actor,
        action="brokerage_capacity_taken",
        obj=listing,
        summary=f"{agreed} {unit} agreed for request {agreement.request.reference}: capacity "
        f"{before} to {after}; drafts written before it will be lowered when published"[:255],
    )
    # A queryset update sends no signals: tell search, so "has space now" follows at once.
    from directory.signals import listing_status_changed

    listing_status_changed.send(sender=ListingPage, listing_ids=[listing.pk])
    return taken


def review_record(
    *,
    user,
    agreement: Agreement,
    held_on,
    feeling,
    family_words,
    young_person_words="",
    next_review_date=None,
) -> Review:
    require_own(user, agreement.request)
    if agreement.request.status != Status.MATCHED:
        raise TransitionRefused("Only agreed support can be reviewed.")
    if held_on > today():
        raise ValidationError({"held_on": "The review date cannot be in the future"})
    next_review_date = next_review_date or add_months(held_on, settings.BROKERAGE_REVIEW_MONTHS)
    if next_review_date <= held_on:
        raise ValidationError({"next_review_date": "The next review must be after this one"})
    with transaction.atomic():
        review = Review(
            agreement=agreement,
            held_on=held_on,
            feeling=feeling,
            family_words=family_words,
            young_person_words=young_person_words,
            next_review_date=next_review_date,
            recorded_by=user,
        )
        review.full_clean()
        review.save()
        Agreement.objects.filter(pk=agreement.pk).update(review_date=next_review_date)
        agreement.review_date = next_review_date
        event_note(request=agreement.request, actor=user, role=B_, note="Review recorded")
    return review


# --- Outcomes and unmet demand ---------------------------------------------------------------


def request_close_unmatched(*, user, request: SupportRequest, reasons, expected_status=None):
    require_own(user, request)
    reasons = [r for r in reasons if r in UnmatchedReason.values]
    if not reasons:
        raise ValidationError({"reasons": "Choose at least one reason nobody suitable was found"})
    codes = ",".join(reasons)
    with transaction.atomic():
        request = REQUESTS.move(
            request,
            Status.UNMATCHED,
            user=user,
            expected_status=expected_status,
            note=f"No suitable provider: {codes}",
            changes={"unmatched_reasons": codes},
        )
        withdraw_live_offers(request, actor=user, news="The request has been closed.")
        outcome_record(request=request, outcome=Outcome.UNMATCHED, reasons=codes)
        unmet_demand_record(request, codes)
    return request


def unmet_demand_record(request: SupportRequest, codes: str) -> UnmetDemand:
    kinds = sorted({KIND_FOR_SUPPORT[k] for k in request.support_kinds if k in KIND_FOR_SUPPORT})
    return UnmetDemand.objects.create(
        searched_on=today(),
        outcode=request.outcode,
        local_authority_code=request.local_authority_code,
        rural=request.rural,
        classified_by="brokerage request",
        mode="both",
        kinds=",".join(kinds),
        needs=",".join(request.needs.values_list("slug", flat=True))[:400],
        age_band=age_band(request.age),
        days=",".join(DAY_CODES[d] for d in request.days.values_list("pk", flat=True)),
        results=0,
        radius_miles=request.travel_miles,
        source="brokerage",
        reasons=codes[:200],
    )


KIND_FOR_SUPPORT = {
    SupportKind.PA: "personal_assistant",
    SupportKind.CLUB: "inclusive_club",
    SupportKind.AT_VENUE: "short_break",
    SupportKind.OVERNIGHT: "short_break",
}


def outcome_record(*, request: SupportRequest, outcome: str, reasons: str = "") -> RequestOutcome:
    closed = today()
    submitted = timezone.localdate(request.submitted_at) if request.submitted_at else None
    offers = request.offers.all()
    row, _ = RequestOutcome.objects.update_or_create(
        request=request,
        defaults=dict(
            outcome=outcome,
            reasons=reasons,
            closed_on=closed,
            submitted_on=submitted,
            days_to_close=(closed - submitted).days if submitted else None,
            outcode=request.outcode,
            local_authority_code=request.local_authority_code,
            age_band=age_band(request.age),
            support_kinds=",".join(request.support_kinds)[:120],
            funding=request.funding.slug if request.funding else "",
            offers_sent=offers.count(),
            # Every offer a provider said yes to, including one withdrawn later (an agreement
            # that fell through): answered, and not declined.
            offers_accepted=offers.filter(answered_at__isnull=False)
            .exclude(status=OfferStatus.DECLINED)
            .count(),
        ),
    )
    return row


# --- Reminders (idempotent: `send_brokerage_reminders`) -----------------------------------


def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {
        "offers_expired": offers_expire(now=now),
        "offers_expiring": 0,
        "first_contact_overdue": 0,
        "reviews_due": 0,
    }
    soon = now + datetime.timedelta(days=1)
    for offer in Offer.objects.filter(
        status=OfferStatus.SENT, expires_at__gt=now, expires_at__lte=soon
    ).select_related("organisation", "listing"):
        if send_once(Message.BROKERAGE_OFFER_EXPIRING.value, f"offer:{offer.pk}"):
            notifications.offer_expiring(offer)
            counts["offers_expiring"] += 1
    waiting = SupportRequest.objects.filter(
        status__in=[Status.SUBMITTED, Status.ASSIGNED, Status.OFFERS_SENT],
        first_contact_at=None,
    )
    for request in waiting:
        if not request.first_contact_overdue(now):
            continue
        if send_once(Message.BROKERAGE_SLA_OVERDUE.value, f"request:{request.pk}"):
            users = (
                [request.broker]
                if request.broker
                else notifications.brokers_for_area(request.local_authority_code)
            )
            notifications.reminder(
                Message.BROKERAGE_SLA_OVERDUE,
                users=users,
                context={
                    "reference": request.reference,
                    "submitted_at": request.submitted_at,
                    "due": request.first_contact_due(),
                },
                url=notifications.broker_url(request),
                related=request,
            )
            counts["first_contact_overdue"] += 1
    horizon = timezone.localdate(now) + datetime.timedelta(
        days=settings.BROKERAGE_REVIEW_REMINDER_DAYS
    )
    for agreement in Agreement.objects.filter(
        request__status=Status.MATCHED, review_date__lte=horizon
    ).select_related("request__broker", "request__family"):
        request = agreement.request
        key = f"agreement:{agreement.pk}:{agreement.review_date.isoformat()}"
        if send_once(Message.BROKERAGE_REVIEW_DUE.value, key):
            notifications.reminder(
                Message.BROKERAGE_REVIEW_DUE,
                users=[u for u in (request.broker,) if u],
                context={"reference": request.reference, "review_date": agreement.review_date},
                url=notifications.broker_url(request),
                related=request,
            )
            notifications.family_news(
                request,
                "The support you agreed is due for review on "
                f"{agreement.review_date:%-d %B %Y}. Your broker will ask how it is going, in "
                "your own words and the young person's.",
            )
            counts["reviews_due"] += 1
    return counts
