"""Who may do what with the kitemark. Services enforce these; views and templates only ask."""

from core.roles import KITEMARK_COORDINATORS, YOUNG_AUDITORS
from directory.permissions import is_council_staff, organisations_of

from .choices import DECIDED
from .models import AuditorProfile


def is_coordinator(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=KITEMARK_COORDINATORS).exists())
    )


def auditor_profile(user):
    """The young auditor's own profile, or None (not an auditor, or no longer active)."""
    if not (user.is_authenticated and user.is_active):
        return None
    if not user.groups.filter(name=YOUNG_AUDITORS).exists():
        return None

    return AuditorProfile.objects.filter(user=user, active=True).first()


def is_young_auditor(user) -> bool:
    return auditor_profile(user) is not None


def can_request_audit(user, listing) -> bool:
    """Providers for their own listings; the council and the coordinator for any listing."""
    if is_coordinator(user) or is_council_staff(user):
        return True
    return (
        listing.organisation_id is not None
        and organisations_of(user).filter(pk=listing.organisation_id).exists()
    )


def is_provider_of(user, audit) -> bool:
    listing = audit.listing
    return (
        listing.organisation_id is not None
        and organisations_of(user).filter(pk=listing.organisation_id).exists()
    )


def can_see_feedback(user, audit) -> bool:
    """The coordinator always; the provider only once the panel has decided (never the
    reviews in progress)."""
    if is_coordinator(user):
        return True
    return audit.status in DECIDED and is_provider_of(user, audit)


def can_open_assignment(user, assignment) -> bool:
    profile = auditor_profile(user)
    return profile is not None and assignment.auditor_id == profile.pk
