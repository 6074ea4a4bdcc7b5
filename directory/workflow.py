"""The directory's workflows: a provider's application to list, and the council's check of a
DBS check. `core.workflow` runs them (docs/workflows/provider-applications.md and
dbs-checks.md show the same tables). Each move's history row is the product's audit trail."""

from django.utils import timezone

from core.audit import audit
from core.roles import is_council_staff
from core.workflow import SYSTEM, Context, Move, Workflow

from . import permissions
from .choices import ApplicationStatus, DBSReview
from .models import DBSCheck, ProviderApplication

COUNCIL, PROVIDER = "council", "provider"


def council_only(user, obj) -> set[str]:
    return {COUNCIL} if is_council_staff(user) else set()


def decided(context: Context) -> None:
    application = context.obj
    if context.target in (ApplicationStatus.ADMITTED, ApplicationStatus.DECLINED):
        application.decided_at, application.decided_by = timezone.now(), context.actor
    if context.target == ApplicationStatus.CONFIRMED:
        application.email_confirmed_at = timezone.now()


def trail(action: str, summaries: dict):
    """The move's history row: one audit event, named by the state it reached."""

    def record(context: Context) -> None:
        audit(
            actor=context.actor,
            action=f"{action}_{context.target}",
            obj=context.obj,
            summary=summaries[context.target] + (f": {context.note}" if context.note else ""),
        )

    return record


A = ApplicationStatus
APPLICATIONS = Workflow(
    name="provider application",
    model=ProviderApplication,
    states=ApplicationStatus,
    moves=(
        Move(A.AWAITING_EMAIL, A.CONFIRMED, {SYSTEM}),
        Move(A.AWAITING_EMAIL, A.DECLINED, {COUNCIL}),
        Move(A.CONFIRMED, A.ADMITTED, {COUNCIL}),
        Move(A.CONFIRMED, A.DECLINED, {COUNCIL}),
    ),
    roles_of=council_only,
    record=trail(
        "application",
        {
            A.CONFIRMED: "Provider application email confirmed",
            A.ADMITTED: "Provider application admitted",
            A.DECLINED: "Provider application declined",
        },
    ),
    before_save=decided,
    noun="application",
)


def dbs_roles(user, check: DBSCheck) -> set[str]:
    roles = set()
    if permissions.can_verify_dbs(user):
        roles.add(COUNCIL)
    if permissions.can_submit_dbs(user, check.person):
        roles.add(PROVIDER)
    return roles


def verified(context: Context) -> None:
    check = context.obj
    check.verified_by, check.verified_at = context.actor, timezone.now()


DBS_CHECKS = Workflow(
    name="DBS check",
    model=DBSCheck,
    states=DBSReview,
    status_field="review",
    moves=(
        Move(DBSReview.SUBMITTED, DBSReview.VERIFIED, {COUNCIL}),
        # checked again: an Update Service status check, or a new due date
        Move(DBSReview.VERIFIED, DBSReview.VERIFIED, {COUNCIL}),
    ),
    roles_of=dbs_roles,
    record=trail("dbs", {DBSReview.VERIFIED: "DBS check verified"}),
    before_save=verified,
    noun="DBS check",
)
