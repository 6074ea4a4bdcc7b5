"""The kitemark audit's table. `core.workflow` runs it (docs/workflows/kitemark-audits.md
shows the same table). "system" is the product itself: an auditor's answers, a date passing,
a later award."""

from core.workflow import SYSTEM, Context, Move, Workflow, note_required

from . import notifications, permissions
from .badge import listing_kitemark_refresh
from .choices import CURRENT_AWARD, AuditStatus
from .models import Audit, AuditEvent

S = AuditStatus
COORDINATOR, PROVIDER, AUDITOR = "coordinator", "provider", "auditor"


def refresh_badge(context: Context) -> None:
    """Entering or leaving a current award changes the listing's badge and search."""
    listing_kitemark_refresh(listing_id=context.obj.listing_id)


REASON = note_required("Say why, so the panel and the setting know")
BADGE = (refresh_badge,)

AUDIT_MOVES = (
    Move(S.REQUESTED, S.SCHEDULED, {COORDINATOR}),
    Move(S.REQUESTED, S.CANCELLED, {COORDINATOR, PROVIDER}, guards=[REASON]),
    Move(S.SCHEDULED, S.SCHEDULED, {COORDINATOR}),  # rescheduled: a new date or team
    Move(S.SCHEDULED, S.IN_PROGRESS, {SYSTEM, COORDINATOR}),
    Move(S.SCHEDULED, S.CANCELLED, {COORDINATOR}, guards=[REASON]),
    Move(S.IN_PROGRESS, S.SUBMITTED, {SYSTEM, COORDINATOR}),
    Move(S.IN_PROGRESS, S.CANCELLED, {COORDINATOR}, guards=[REASON]),
    Move(S.SUBMITTED, S.WITH_PANEL, {COORDINATOR}),
    Move(S.WITH_PANEL, S.AWARDED, {COORDINATOR}, on_enter=BADGE),
    Move(S.WITH_PANEL, S.NOT_YET, {COORDINATOR}),
    Move(S.AWARDED, S.RENEWAL_DUE, {SYSTEM}, on_enter=BADGE),
    Move(S.AWARDED, S.EXPIRED, {SYSTEM}, on_enter=BADGE),
    Move(S.AWARDED, S.RENEWED, {SYSTEM}, on_enter=BADGE),
    Move(S.AWARDED, S.WITHDRAWN, {COORDINATOR}, guards=[REASON], on_enter=BADGE),
    Move(S.RENEWAL_DUE, S.EXPIRED, {SYSTEM}, on_enter=BADGE),
    Move(S.RENEWAL_DUE, S.RENEWED, {SYSTEM}, on_enter=BADGE),
    Move(S.RENEWAL_DUE, S.WITHDRAWN, {COORDINATOR}, guards=[REASON], on_enter=BADGE),
)
assert all(
    (m.on_enter == BADGE) == (m.source in CURRENT_AWARD or m.target in CURRENT_AWARD)
    for m in AUDIT_MOVES
), "every move into or out of a current award refreshes the listing's badge"


def audit_roles(user, audit: Audit) -> set[str]:
    if permissions.is_coordinator(user):
        return {COORDINATOR}
    profile = permissions.auditor_profile(user)
    if profile and audit.assignments.filter(auditor=profile).exists():
        return {AUDITOR}
    if permissions.is_provider_of(user, audit):
        return {PROVIDER}
    return set()


def check_audit(context: Context) -> None:
    context.obj.full_clean(exclude=["listing", "standard_set", "requested_by", "previous"])


def audit_event(context: Context) -> None:
    AuditEvent.objects.create(
        audit=context.obj,
        actor=context.actor if getattr(context.actor, "is_authenticated", False) else None,
        from_status=context.source,
        to_status=context.target,
        note=context.note,
    )


def tell(context: Context) -> None:
    notifications.after_transition(
        context.obj, context.source, context.target, context.actor, context.note
    )


AUDITS = Workflow(
    name="kitemark audit",
    model=Audit,
    states=AuditStatus,
    moves=AUDIT_MOVES,
    roles_of=audit_roles,
    record=audit_event,
    notify=tell,
    before_save=check_audit,
    noun="audit",
)
