"""The family's request: drafts, submitting, withdrawing, and the family profile kept for
next time.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.workflow import TransitionRefused

from .. import permissions
from ..choices import Outcome, Requester, Status
from ..models import FamilyProfile, RequestEvent, SupportRequest
from ..workflow import REQUESTS
from ._common import F_, own_request, require_family
from .offers import withdraw_live_offers
from .outcomes import outcome_record

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
    "funding_unknown",
    "hourly_budget",
    "contact_name",
    "contact_phone",
)
PROFILE_M2M = ("needs", "skills", "days")


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
        for field in PROFILE_M2M:
            getattr(draft, field).set(answers.get(field, []))
    if profile and profile.requester:
        draft.requester = profile.requester  # said when the account was made: never asked again
    draft.save()
    RequestEvent.objects.create(
        request=draft,
        actor=user,
        role=F_,
        from_status="",
        to_status=Status.DRAFT,
        note="Started"
        + (" from the family's saved answers" if profile and profile.answers else ""),
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
    if request.funding_id is None and not request.funding_unknown:
        missing.append(
            ("funding", "Say how the support will be paid for, or that you do not know yet")
        )
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
    if not profile.requester and request.requester:
        profile.requester = request.requester
        profile.save(update_fields=["requester"])
    return profile


ACCOUNT_WHO = {"parent": Requester.PARENT_CARER, "young_person": Requester.YOUNG_PERSON}


def family_profile_start(*, user, who: str) -> FamilyProfile:
    """Who a new family account is for (as the account form asks: "parent" or
    "young_person"), kept so that no request asks it again."""
    profile, _ = FamilyProfile.objects.update_or_create(
        user=user, defaults={"requester": ACCOUNT_WHO.get(who, "")}
    )
    return profile


def requester_from_account(user) -> str:
    """Who is asking, as the family's account says, or "" if it does not say."""
    return FamilyProfile.objects.filter(user=user).values_list("requester", flat=True).first() or ""


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
