"""Who may see and do what in brokerage. Services enforce these; views and templates ask.

- A family sees only its own requests.
- A provider sees only the offers sent to its own organisation (and, once chosen, the
  family's contact details shared with it). The family's notes on communication, care and
  behaviour only while its offer is the chosen one, and only if the family agreed to share
  them with it.
- A broker sees the requests in their queue (waiting, in their council areas) and the ones
  assigned to them; never one involving a provider they are affiliated with.
"""

from django.db.models import Q

from core.roles import BROKERS, FAMILIES
from directory.permissions import organisations_of

from .choices import OfferStatus, Status
from .models import SupportRequest


def in_group(user, name: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.groups.filter(name=name).exists())


def is_family(user) -> bool:
    return in_group(user, FAMILIES)


def is_broker(user) -> bool:
    return in_group(user, BROKERS)


def broker_areas(user) -> list[str]:
    profile = getattr(user, "broker_profile", None) if user.is_authenticated else None
    if profile is None:
        return []
    return list(profile.areas.values_list("code", flat=True))


def affiliated_organisation_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(user.broker_affiliations.values_list("organisation_id", flat=True))


def requests_for_broker(user):
    """The broker's queue (waiting requests in their areas) and the requests assigned to them."""

    if not is_broker(user):
        return SupportRequest.objects.none()
    queue = Q(status=Status.SUBMITTED, local_authority_code__in=broker_areas(user))
    return SupportRequest.objects.filter(queue | Q(broker=user)).exclude(status=Status.DRAFT)


def can_view_request(user, request) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if request.family_id == user.pk:
        return True
    if is_broker(user):
        return requests_for_broker(user).filter(pk=request.pk).exists()
    return False


def can_act_as_broker(user, request) -> bool:
    return is_broker(user) and request.broker_id == user.pk


def can_view_offer(user, offer) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if organisations_of(user).filter(pk=offer.organisation_id).exists():
        return True
    return can_act_as_broker(user, offer.request)


def can_answer_offer(user, offer) -> bool:
    return (
        user.is_authenticated and organisations_of(user).filter(pk=offer.organisation_id).exists()
    )


def is_provider(user) -> bool:
    return organisations_of(user).exists()


def can_see_care_notes(user, offer) -> bool:
    """The provider the family chose, while its offer stands (agreeing, then the agreed
    support), and only if the family agreed to share the notes with it for this offer. Never
    another provider asked, never before the choice, never after it fell through or the
    request was withdrawn."""
    return (
        offer.status == OfferStatus.CHOSEN
        and offer.request.status in (Status.AGREEING, Status.MATCHED)
        and can_answer_offer(user, offer)
        and offer.shares.filter(care_notes=True, organisation_id=offer.organisation_id).exists()
    )
