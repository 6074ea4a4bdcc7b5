"""What every brokerage write shares: who may act on a request, and how its history is told."""

from django.core.exceptions import PermissionDenied

from .. import permissions
from ..choices import Role, Status
from ..models import BrokerProfile, RequestEvent, SupportRequest

F_ = Role.FAMILY
B_ = Role.BROKER
S_ = Role.SYSTEM


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


def require_family(user) -> None:
    if not permissions.is_family(user):
        raise PermissionDenied("Only a family account can make a request")


def own_request(user, request: SupportRequest) -> None:
    if request.family_id != user.pk:
        raise PermissionDenied("This is not your request")


def require_broker(user) -> BrokerProfile:
    if not permissions.is_broker(user):
        raise PermissionDenied("Only a broker can do this")
    profile, _ = BrokerProfile.objects.get_or_create(user=user)
    return profile


def require_own(user, request: SupportRequest) -> None:
    if not permissions.can_act_as_broker(user, request):
        raise PermissionDenied("This request is not assigned to you")
