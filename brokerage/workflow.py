"""The brokerage workflows' tables: a family's request, and each offer sent to a provider.
`core.workflow` runs them (docs/workflows/brokerage.md shows the same tables)."""

from django.utils import timezone

from core.workflow import SYSTEM, Context, Move, Workflow
from directory.permissions import organisations_of

from . import notifications, permissions
from .choices import CLOSED_STATUSES, OfferStatus, Role, Status
from .models import Offer, RequestEvent, SupportRequest

FAMILY, BROKER, PROVIDER = Role.FAMILY.value, Role.BROKER.value, Role.PROVIDER.value
assert SYSTEM == Role.SYSTEM.value

S = Status
REQUEST_MOVES = (
    Move(S.DRAFT, S.SUBMITTED, {FAMILY}),
    Move(S.DRAFT, S.WITHDRAWN, {FAMILY}),
    Move(S.SUBMITTED, S.ASSIGNED, {BROKER}),
    Move(S.SUBMITTED, S.WITHDRAWN, {FAMILY, BROKER}),
    Move(S.ASSIGNED, S.SUBMITTED, {BROKER}),
    Move(S.ASSIGNED, S.OFFERS_SENT, {BROKER}),
    Move(S.ASSIGNED, S.UNMATCHED, {BROKER}),
    Move(S.ASSIGNED, S.WITHDRAWN, {FAMILY, BROKER}),
    Move(S.OFFERS_SENT, S.CHOOSING, {PROVIDER}),
    Move(S.OFFERS_SENT, S.ASSIGNED, {BROKER, SYSTEM}),
    Move(S.OFFERS_SENT, S.UNMATCHED, {BROKER}),
    Move(S.OFFERS_SENT, S.WITHDRAWN, {FAMILY, BROKER}),
    Move(S.CHOOSING, S.AGREEING, {FAMILY}),
    Move(S.CHOOSING, S.ASSIGNED, {FAMILY, BROKER}),
    Move(S.CHOOSING, S.UNMATCHED, {BROKER}),
    Move(S.CHOOSING, S.WITHDRAWN, {FAMILY, BROKER}),
    Move(S.AGREEING, S.MATCHED, {FAMILY, PROVIDER}),
    Move(S.AGREEING, S.ASSIGNED, {BROKER}),
    Move(S.AGREEING, S.WITHDRAWN, {FAMILY, BROKER}),
)


def request_roles(user, request: SupportRequest) -> set[str]:
    """Who this person is to the request: its family, a broker who may act on it (the one it
    is assigned to, or, while it waits, any broker for its area), or a provider asked."""
    roles = set()
    if not (user.is_authenticated and user.is_active):
        return roles
    if request.family_id == user.pk:
        roles.add(FAMILY)
    if permissions.is_broker(user) and (
        request.broker_id == user.pk
        or (
            request.broker_id is None
            and request.local_authority_code in permissions.broker_areas(user)
        )
    ):
        roles.add(BROKER)
    if request.offers.filter(organisation__in=organisations_of(user)).exists():
        roles.add(PROVIDER)
    return roles


def stamp_request(context: Context) -> None:
    request, now = context.obj, timezone.now()
    if context.source == S.DRAFT and context.target == S.SUBMITTED:
        request.submitted_at = now
    if context.target in CLOSED_STATUSES:
        request.closed_at = now


def request_event(context: Context) -> None:
    RequestEvent.objects.create(
        request=context.obj,
        actor=context.actor if getattr(context.actor, "is_authenticated", False) else None,
        role=context.role,
        from_status=context.source,
        to_status=context.target,
        note=context.note[:500],
    )


def tell_about_request(context: Context) -> None:
    notifications.after_transition(
        context.obj, context.source, context.target, context.actor, context.note
    )


def assigned_to_someone_else(request: SupportRequest, user) -> str:
    if request.broker_id and request.status == S.ASSIGNED and request.broker_id != user.pk:
        return f" to {request.broker.get_full_name() or request.broker.get_username()}"
    return ""


REQUESTS = Workflow(
    name="brokerage request",
    model=SupportRequest,
    states=Status,
    moves=REQUEST_MOVES,
    roles_of=request_roles,
    record=request_event,
    notify=tell_about_request,
    before_save=stamp_request,
    stale_detail=assigned_to_someone_else,
    noun="request",
)


OFFER_MOVES = (
    Move(OfferStatus.SENT, OfferStatus.ACCEPTED, {PROVIDER}),
    Move(OfferStatus.SENT, OfferStatus.DECLINED, {PROVIDER}),
    Move(OfferStatus.SENT, OfferStatus.EXPIRED, {SYSTEM}),
    Move(OfferStatus.SENT, OfferStatus.WITHDRAWN, {SYSTEM}),
    Move(OfferStatus.ACCEPTED, OfferStatus.CHOSEN, {FAMILY}),
    Move(OfferStatus.ACCEPTED, OfferStatus.NOT_CHOSEN, {FAMILY, SYSTEM}),
    Move(OfferStatus.ACCEPTED, OfferStatus.WITHDRAWN, {SYSTEM}),
    Move(OfferStatus.CHOSEN, OfferStatus.WITHDRAWN, {BROKER, SYSTEM}),
)


def offer_roles(user, offer: Offer) -> set[str]:
    roles = set()
    if not (user.is_authenticated and user.is_active):
        return roles
    if organisations_of(user).filter(pk=offer.organisation_id).exists():
        roles.add(PROVIDER)
    if offer.request.family_id == user.pk:
        roles.add(FAMILY)
    if permissions.can_act_as_broker(user, offer.request):
        roles.add(BROKER)
    return roles


def offer_event(context: Context) -> None:
    offer = context.obj
    RequestEvent.objects.create(
        request_id=offer.request_id,
        offer=offer,
        actor=context.actor if getattr(context.actor, "is_authenticated", False) else None,
        role=context.role,
        from_status=context.source,
        to_status=context.target,
        note=context.note[:500],
    )


OFFERS = Workflow(
    name="offer to a provider",
    model=Offer,
    states=OfferStatus,
    moves=OFFER_MOVES,
    roles_of=offer_roles,
    record=offer_event,
    noun="offer",
)
