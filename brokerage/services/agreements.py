"""The agreement once the family has chosen: drafting, confirming, falling through, the terms it
records, the capacity it takes and the reviews that follow.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit
from core.dates import add_months, today
from core.workflow import TransitionRefused
from directory.capacity import listing_capacity_take

from .. import notifications, permissions
from ..choices import OfferStatus, Outcome, Role, Status
from ..models import Agreement, Review, SupportRequest
from ..workflow import OFFERS, REQUESTS
from ._common import B_, F_, describe, event_note, require_own
from .outcomes import outcome_record


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
    days=(),
    time_from=None,
    time_to=None,
    term_time=False,
    school_holidays=False,
) -> Agreement:
    """The broker writes up what was agreed: hours, rate, way of paying, the days and times
    of the support, the start and the first review."""
    require_own(user, request)
    if request.status != Status.AGREEING:
        raise TransitionRefused("An agreement is written once the family has chosen a provider.")
    review_date = review_date or default_review_date(start_date)
    errors = {}
    if start_date < today():
        errors["start_date"] = "The start date must be today or in the future"
    if review_date <= start_date:
        errors["review_date"] = "The review date must be after the start date"
    if bool(time_from) != bool(time_to):
        errors["time_to"] = "Enter both times, or neither"
    elif time_from and time_to and time_from >= time_to:
        errors["time_to"] = "The end time must be after the start time"
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
                time_from=time_from,
                time_to=time_to,
                term_time=term_time,
                school_holidays=school_holidays,
                drafted_by=user,
                drafted_at=timezone.now(),
                family_confirmed_at=None,
                provider_confirmed_at=None,
            ),
        )
        agreement.full_clean()
        agreement.days.set(days)
        event_note(request=request, actor=user, role=B_, note="Agreement written up")
        notifications.family_news(
            request,
            "Please check and confirm the agreement.",
            subject=notifications.AGREEMENT_TO_CONFIRM,
            actor=user,
        )
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
            f"broker is now looking again for support for {notifications.who_in_email(request)}.",
            subject=notifications.AGREEMENT_FELL_THROUGH,
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
        f"{agreement.funding.name}, {agreement.when}, from {agreement.start_date:%-d %B %Y}"
        + (f" ({'; '.join(confirmed)})" if confirmed else " (confirmed by nobody yet)")
    )


def capacity_take(agreement: Agreement, actor=None) -> int:
    """The chosen listing's capacity goes down by what was agreed (`directory.capacity`)."""
    return listing_capacity_take(
        listing_id=agreement.offer.listing_id,
        hours_per_week=agreement.hours_per_week,
        reference=agreement.request.reference,
        actor=actor,
    )


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
    if held_on < agreement.start_date:
        raise ValidationError(
            {
                "held_on": "A review cannot be dated before the support starts on "
                f"{agreement.start_date:%-d %B %Y}"
            }
        )
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
