"""A family's rights over their data: download everything held about them, delete their
account (the anonymised outcome stays for statistics, and a provider keeps its record of a
confirmed agreement), and the brokerage's retention periods, applied by the daily
`manage.py apply_retention` (`ops/retention.py`). The data map: `docs/privacy.md`."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.audit import audit
from core.dates import add_months
from core.models import Consent
from core.workflow import TransitionRefused
from directory.models import Need, Skill, Weekday
from search.api import shortlist_of

from . import notifications, services
from .answers import answer_rows
from .choices import CLOSED_STATUSES, Status
from .models import Agreement, FamilyProfile, Offer, Review, SupportRequest
from .services.requests import PROFILE_FIELDS

REQUEST_FIELDS = (
    "status",
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
    "local_authority_code",
    "travel_miles",
    "pa_gender",
    "culture_faith",
    "hourly_budget",
    "contact_name",
    "contact_phone",
    "consent_to_share",
    "consent_at",
    "created_at",
    "submitted_at",
    "closed_at",
    "unmatched_reasons",
)


def questions_and_answers(rows: list[dict]) -> list[dict]:
    return [{"question": row["key"], "answer": row["value"]} for row in rows]


def request_export(found: SupportRequest) -> dict:
    data = {field: getattr(found, field) for field in REQUEST_FIELDS}
    data["reference"] = found.reference
    data["status"] = found.get_status_display()
    data["answers"] = questions_and_answers(answer_rows(found))
    data["needs"] = [n.name for n in found.needs.all()]
    data["skills"] = [s.name for s in found.skills.all()]
    data["days"] = [d.name for d in found.days.all()]
    data["language"] = found.language.name if found.language else ""
    data["funding"] = (
        found.funding.name
        if found.funding
        else ("I don't know yet" if found.funding_unknown else "")
    )
    data["history"] = [
        {
            "at": e.at,
            "by": e.get_role_display(),
            "from": e.from_status,
            "to": e.to_status,
            "note": e.note,
        }
        for e in found.events.all()
    ]
    data["offers"] = [
        {
            "provider": o.organisation.name,
            "service": o.listing.title,
            "status": o.status,
            "sent_at": o.sent_at,
            "summary_sent": o.summary,
            "hours": o.proposed_hours,
            "rate": o.rate,
            "start_date": o.start_date,
        }
        for o in found.offers.select_related("organisation", "listing")
    ]
    data["contact_details_shared"] = [
        {
            "with": s.organisation.name,
            "what": s.fields_shared,
            "why": s.purpose,
            "when": s.shared_at,
        }
        for s in found.shares.select_related("organisation")
    ]
    agreement = getattr(found, "agreement", None)
    if agreement is not None:
        data["agreement"] = {
            "hours_per_week": agreement.hours_per_week,
            "rate": agreement.rate,
            "funding": agreement.funding.name,
            "when": agreement.when,
            "start_date": agreement.start_date,
            "review_date": agreement.review_date,
            "family_confirmed_at": agreement.family_confirmed_at,
            "provider_confirmed_at": agreement.provider_confirmed_at,
            "reviews": [
                {
                    "held_on": r.held_on,
                    "how_it_is_going": r.get_feeling_display(),
                    "family_words": r.family_words,
                    "young_person_words": r.young_person_words,
                }
                for r in agreement.reviews.all()
            ],
        }
    return data


def profile_as_request(profile: FamilyProfile) -> tuple[SupportRequest, dict]:
    """The saved answers as an unsaved request (as `services.draft_create` reads them), with
    the needs, skills and days they name."""
    answers = profile.answers or {}
    found = SupportRequest()
    for field in PROFILE_FIELDS:
        if field not in answers:
            continue
        value = answers[field]
        if field in ("time_from", "time_to") and value:
            value = datetime.time.fromisoformat(value)
        if field in ("hours_per_week", "hourly_budget") and value is not None:
            value = Decimal(value)
        setattr(found, field, value)
    links = {
        "needs": Need.objects.filter(pk__in=answers.get("needs", [])),
        "skills": Skill.objects.filter(pk__in=answers.get("skills", [])),
        "days": Weekday.objects.filter(pk__in=answers.get("days", [])),
    }
    return found, links


def family_export(*, user) -> dict:
    """Everything held about a family, in words: their account, what they agreed to, their
    saved answers and every request as the questions they answered, their shortlist and the
    updates sent to them."""
    profile = FamilyProfile.objects.filter(user=user).first()
    audit(
        actor=user,
        action="brokerage_data_exported",
        obj=user,
        summary="Family downloaded their data",
    )
    saved = []
    if profile is not None and profile.answers:
        found, links = profile_as_request(profile)
        saved = questions_and_answers(answer_rows(found, **links))
    return {
        "exported_at": timezone.now(),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "joined": user.date_joined,
            "last_signed_in": user.last_login,
            "who_is_asking": profile.get_requester_display() if profile else "",
        },
        "what_you_agreed_to": [
            {
                "what": c.wording,
                "agreed": "Yes" if c.given else "No (withdrawn)",
                "when": c.recorded_at,
            }
            for c in Consent.objects.filter(user=user).order_by("recorded_at", "pk")
        ],
        "saved_answers": saved,
        "requests": [request_export(r) for r in SupportRequest.objects.of_family(user)],
        "shortlist": shortlist_of(user),
        "updates": [
            {"at": n.created_at, "subject": n.subject, "link": n.url}
            for n in user.notifications.all()
        ],
    }


def draft_discard(*, user, request: SupportRequest) -> None:
    services.own_request(user, request)
    if request.status != Status.DRAFT:
        raise TransitionRefused("Only an unsent request can be discarded.")
    request.delete()


def requests_delete(requests, *, family_left: bool = False) -> int:
    """Delete requests with everything about the family. A confirmed agreement is the
    provider's record too: it stays with its offer (the summary the provider was sent), without
    the family's reviews; with `family_left`, the provider and the broker are told the family
    closed their account. Returns how many requests were deleted."""
    now = timezone.now()
    ids = list(requests.values_list("pk", flat=True))
    requests = SupportRequest.objects.filter(pk__in=ids)
    kept = list(
        Agreement.objects.filter(
            request__in=requests,
            family_confirmed_at__isnull=False,
            provider_confirmed_at__isnull=False,
        ).select_related("request__broker", "offer__listing", "offer__organisation")
    )
    for agreement in kept:
        if family_left:
            notifications.family_left(
                agreement, reference=agreement.request.reference, broker=agreement.request.broker
            )
            agreement.family_left_at = now
            agreement.save(update_fields=["family_left_at"])
        audit(
            actor=None,
            action="brokerage_agreement_kept",
            obj=agreement,
            summary="Agreement kept for the provider; the family's request was deleted",
        )
    kept_ids = [agreement.pk for agreement in kept]
    Review.objects.filter(agreement__in=kept_ids).delete()
    Agreement.objects.filter(request__in=requests).exclude(pk__in=kept_ids).delete()
    Offer.objects.filter(request__in=requests).exclude(agreement__in=kept_ids).delete()
    requests.delete()
    return len(ids)


@transaction.atomic
def family_delete(*, user) -> None:
    """Withdraw anything open (providers are told), then delete the family's requests, their
    history and their account. Anonymised outcomes and unmet demand stay; so does a provider's
    record of a confirmed agreement, and the provider and the broker are told the family left."""
    for found in SupportRequest.objects.of_family(user).exclude(
        status__in=[Status.DRAFT, *CLOSED_STATUSES]
    ):
        services.request_withdraw(user=user, request=found, note="Account deleted")
    audit(
        actor=None,
        action="brokerage_family_deleted",
        obj=user,
        summary="Family account and requests deleted at their request",
    )
    requests_delete(SupportRequest.objects.of_family(user), family_left=True)
    user.delete()


def month_start(now: datetime.datetime, months: int) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(add_months(timezone.localdate(now), -months), datetime.time())
    )


def retention_enforce(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete unsent drafts and closed requests older than the retention periods (a matched
    request stays while its agreement is still reviewed), saved answers of families who have
    not asked for anything in that time, and providers' records of agreements whose family
    has gone, once the years a provider must keep them have passed."""
    now = now or timezone.now()
    rules = settings.BROKERAGE_RETENTION
    draft_cutoff = now - datetime.timedelta(days=rules["draft_days"])
    closed_cutoff = month_start(now, rules["closed_months"])
    profile_cutoff = month_start(now, rules["profile_months"])
    kept_cutoff = add_months(timezone.localdate(now), -12 * rules["kept_agreement_years"])
    with transaction.atomic():
        drafts = requests_delete(
            SupportRequest.objects.filter(status=Status.DRAFT, updated_at__lt=draft_cutoff)
        )
        closed = requests_delete(
            SupportRequest.objects.filter(
                status__in=CLOSED_STATUSES, closed_at__lt=closed_cutoff
            ).exclude(agreement__review_date__gte=closed_cutoff.date())
        )
        recent = SupportRequest.objects.filter(
            Q(updated_at__gte=profile_cutoff) | ~Q(status__in=[Status.DRAFT, *CLOSED_STATUSES])
        )
        stale = FamilyProfile.objects.filter(updated_at__lt=profile_cutoff).exclude(
            user__in=recent.values("family")
        )
        profiles = stale.count()
        stale.delete()
        gone = list(
            Agreement.objects.filter(request__isnull=True, start_date__lt=kept_cutoff).values_list(
                "pk", "offer_id"
            )
        )
        Agreement.objects.filter(pk__in=[pk for pk, _ in gone]).delete()
        Offer.objects.filter(pk__in=[offer for _, offer in gone]).delete()
    return {
        "drafts_deleted": drafts,
        "closed_deleted": closed,
        "saved_answers_deleted": profiles,
        "kept_agreements_deleted": len(gone),
    }
