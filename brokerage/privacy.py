"""A family's rights over their data: download everything held about them, delete their
account (the anonymised outcome stays for statistics), and retention enforced by
`manage.py brokerage_retention`."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.audit import audit
from core.dates import add_months
from core.workflow import TransitionRefused

from . import services
from .choices import CLOSED_STATUSES, Status
from .models import FamilyProfile, SupportRequest

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


def request_export(found: SupportRequest) -> dict:
    data = {field: getattr(found, field) for field in REQUEST_FIELDS}
    data["reference"] = found.reference
    data["needs"] = [n.name for n in found.needs.all()]
    data["skills"] = [s.name for s in found.skills.all()]
    data["days"] = [d.name for d in found.days.all()]
    data["language"] = found.language.name if found.language else ""
    data["funding"] = found.funding.name if found.funding else ""
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


def family_export(*, user) -> dict:
    profile = FamilyProfile.objects.filter(user=user).first()
    audit(
        actor=user,
        action="brokerage_data_exported",
        obj=user,
        summary="Family downloaded their data",
    )
    return {
        "exported_at": timezone.now(),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "joined": user.date_joined,
        },
        "saved_answers": profile.answers if profile else {},
        "requests": [request_export(r) for r in SupportRequest.objects.of_family(user)],
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


@transaction.atomic
def family_delete(*, user) -> None:
    """Withdraw anything open (providers are told), then delete the family's requests, their
    history and their account. Anonymised outcomes and unmet demand stay."""
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
    SupportRequest.objects.of_family(user).delete()
    user.delete()


def retention_enforce(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete unsent drafts and closed requests older than the retention periods."""
    now = now or timezone.now()
    rules = settings.BROKERAGE_RETENTION
    draft_cutoff = now - datetime.timedelta(days=rules["draft_days"])
    closed_cutoff = timezone.make_aware(
        datetime.datetime.combine(
            add_months(timezone.localdate(now), -rules["closed_months"]), datetime.time()
        )
    )
    with transaction.atomic():
        stale = SupportRequest.objects.filter(status=Status.DRAFT, updated_at__lt=draft_cutoff)
        drafts = stale.count()
        stale.delete()
        old = SupportRequest.objects.filter(status__in=CLOSED_STATUSES, closed_at__lt=closed_cutoff)
        closed = old.count()
        old.delete()
    return {"drafts_deleted": drafts, "closed_deleted": closed}
