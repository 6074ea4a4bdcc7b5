"""The broker's side before any offer: code of conduct, areas, declared affiliations, taking and
releasing a request, first contact, and the candidate providers the broker considers.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit
from core.roles import is_council_staff
from core.workflow import TransitionRefused
from directory.models import ListingPage, Weekday
from gazetteer.lookup import local_authority_name
from search.demand import age_band

from .. import permissions
from ..choices import Status, SupportKind
from ..models import Affiliation, BrokerProfile, Candidate, SupportRequest
from ..workflow import REQUESTS
from ._common import B_, event_note, require_broker, require_own


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


def area_names(areas) -> str:
    return ", ".join(sorted(area.name for area in areas)) or "none"


@transaction.atomic
def broker_areas_grant(*, user, broker, areas) -> BrokerProfile:
    """Council staff grant a broker the council areas whose waiting requests they may see and
    take. Recorded in the audit trail: who, when, what was added and what was removed. Nobody
    grants areas to themselves, and a broker never chooses their own."""
    if not is_council_staff(user):
        raise PermissionDenied("Only council staff grant brokers their council areas")
    if broker.pk == user.pk:
        raise PermissionDenied(
            "You cannot grant council areas to yourself. Ask another member of council staff."
        )
    if not permissions.is_broker(broker):
        raise ValidationError("Council areas are granted only to brokers")
    areas = set(areas)
    if any(not area.code.startswith("E") for area in areas):
        raise ValidationError({"areas": "Choose councils in England"})
    profile, _ = BrokerProfile.objects.select_for_update().get_or_create(user=broker)
    before = set(profile.areas.all())
    added, removed = areas - before, before - areas
    if not added and not removed:
        return profile
    profile.areas.set(areas)
    profile.areas_granted_by = user
    profile.areas_granted_at = timezone.now()
    profile.save(update_fields=["areas_granted_by", "areas_granted_at"])
    changes = []
    if added:
        changes.append(f"added {area_names(added)}")
    if removed:
        changes.append(f"removed {area_names(removed)}")
    audit(
        actor=user,
        action="broker_areas_granted",
        obj=profile,
        summary=f"Council areas {'; '.join(changes)}",
    )
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


# --- Candidates ----------------------------------------------------------------------------------


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
        "funding": request.funding.name
        if request.funding
        else ("Not known yet" if request.funding_unknown else ""),
        "hourly_budget": str(request.hourly_budget) if request.hourly_budget else "",
    }


def local_authority_label(code: str) -> str:
    return local_authority_name(code) if code else ""
