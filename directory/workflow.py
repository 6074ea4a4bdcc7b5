"""The directory's workflows: a provider's application to list, the council's check of a DBS
check, and what council staff do about a report from the public (an ordinary report, or a
safeguarding concern). `core.workflow` runs them (docs/workflows/provider-applications.md,
dbs-checks.md and safeguarding-concerns.md show the same tables). Each move's history row is
the product's audit trail; a report's moves also leave a `ReportEvent` with the note."""

from django.utils import timezone

from core.audit import audit
from core.roles import is_council_staff
from core.workflow import SYSTEM, Context, Move, TransitionRefused, Workflow, note_required

from . import notifications, permissions
from .choices import ApplicationStatus, ConcernStatus, DBSReview, ReportStatus, ReportStep
from .models import DBSCheck, ListingReport, ProviderApplication, ReportEvent

COUNCIL, PROVIDER = "council", "provider"


def council_only(user, obj) -> set[str]:
    return {COUNCIL} if is_council_staff(user) else set()


def decided(context: Context) -> None:
    application = context.obj
    if context.target in (ApplicationStatus.ADMITTED, ApplicationStatus.DECLINED):
        application.decided_at, application.decided_by = timezone.now(), context.actor
    if context.target == ApplicationStatus.CONFIRMED:
        application.email_confirmed_at = timezone.now()


def trail(action: str, summaries: dict, *, with_note: bool = True):
    """The move's history row: one audit event, named by the state it reached. A note that
    may hold personal data (a DBS query's words) stays on the record, out of the trail."""

    def record(context: Context) -> None:
        note = f": {context.note}" if context.note and with_note else ""
        audit(
            actor=context.actor,
            action=f"{action}_{context.target}",
            obj=context.obj,
            summary=summaries[context.target] + note,
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


def reviewed(context: Context) -> None:
    """Who verified a check and when; the council's question or reason, and the provider's
    answer, kept on the check (the trail says only that they happened)."""
    check = context.obj
    if context.target == DBSReview.VERIFIED:
        check.verified_by, check.verified_at = context.actor, timezone.now()
    elif context.target in (DBSReview.QUERIED, DBSReview.REJECTED):
        check.review_note = context.note
    elif context.target == DBSReview.SUBMITTED:
        check.answer = context.note


def no_certificate_number(context: Context) -> None:
    """The reason goes to the provider by email, where a certificate number must never be."""
    digits = "".join(ch for ch in context.note if ch.isdigit())
    if context.obj.certificate_number and context.obj.certificate_number in digits:
        raise TransitionRefused(
            {"note": "Do not write the certificate number: this goes to the provider by email"},
            code="blocked",
        )


def tell_who_needs_to_know(context: Context) -> None:
    if context.target == DBSReview.QUERIED:
        notifications.dbs_queried(context.obj, actor=context.actor)
    elif context.target == DBSReview.REJECTED:
        notifications.dbs_rejected(context.obj, actor=context.actor)
    elif context.target == DBSReview.SUBMITTED:
        notifications.dbs_answered(context.obj, actor=context.actor)


R = DBSReview
QUERY_REASON = "Say what is missing, so the provider knows what to send"
REJECT_REASON = "Say why the check is rejected, so the provider knows what to do"
DBS_CHECKS = Workflow(
    name="DBS check",
    model=DBSCheck,
    states=DBSReview,
    status_field="review",
    moves=(
        Move(R.SUBMITTED, R.VERIFIED, {COUNCIL}),
        Move(
            R.SUBMITTED,
            R.QUERIED,
            {COUNCIL},
            guards=(note_required(QUERY_REASON), no_certificate_number),
        ),
        Move(
            R.SUBMITTED,
            R.REJECTED,
            {COUNCIL},
            guards=(note_required(REJECT_REASON), no_certificate_number),
        ),
        # the provider answers the council's question, correcting the details if need be
        Move(
            R.QUERIED,
            R.SUBMITTED,
            {PROVIDER, COUNCIL},
            guards=(note_required("Say what you changed, or answer the council's question"),),
        ),
        # the provider never answered, or the answer shows the check cannot stand
        Move(
            R.QUERIED,
            R.REJECTED,
            {COUNCIL},
            guards=(note_required(REJECT_REASON), no_certificate_number),
        ),
        # checked again: an Update Service status check, or a new due date
        Move(R.VERIFIED, R.VERIFIED, {COUNCIL}),
    ),
    roles_of=dbs_roles,
    record=trail(
        "dbs",
        {
            R.VERIFIED: "DBS check verified",
            R.QUERIED: "DBS check queried",
            R.REJECTED: "DBS check rejected",
            R.SUBMITTED: "Provider answered the council's query",
        },
        with_note=False,
    ),
    before_save=reviewed,
    notify=tell_who_needs_to_know,
    noun="DBS check",
)


# --- Reports from the public (docs/workflows/safeguarding-concerns.md) ----------------------


def report_event(context: Context) -> None:
    """The step's history row (with the note) and its line in the audit trail (without it:
    the note may say what happened to a child)."""
    report, actor = context.obj, context.actor
    ReportEvent.objects.create(
        report=report,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "",
        from_status=context.source,
        to_status=context.target,
        note=context.note,
    )
    kind = "safeguarding_concern" if report.safeguarding else "report"
    label = "Safeguarding concern" if report.safeguarding else "Report"
    described = dict(ReportStatus.choices + ConcernStatus.choices)[context.target]
    audit(
        actor=actor,
        action=f"{kind}_{context.target}",
        obj=report,
        summary=f"{label} moved to “{described}”",
    )


def finished(context: Context) -> None:
    """A report leaves the open queue when it is dealt with, or a concern is closed. A report
    council staff recognise as about a child's safety becomes a safeguarding concern."""
    if context.target in (ReportStatus.DEALT_WITH, ConcernStatus.CLOSED):
        context.obj.resolved_at, context.obj.resolved_by = timezone.now(), context.actor
    if context.target == ReportStep.RECEIVED:
        context.obj.safeguarding = True


def to_designated_inboxes(context: Context) -> None:
    notifications.concern_received(context.obj, acknowledge=False)


R = ReportStep
REPORTS = Workflow(
    name="report",
    model=ListingReport,
    states=ReportStep,
    moves=(
        Move(
            R.OPEN,
            R.DEALT_WITH,
            {COUNCIL},
            guards=[note_required("Say what was done about the report")],
        ),
        Move(
            R.OPEN,
            R.RECEIVED,
            {COUNCIL},
            guards=[note_required("Say why this report is about a child's safety")],
            on_enter=[to_designated_inboxes],
        ),
    ),
    roles_of=council_only,
    record=report_event,
    before_save=finished,
    noun="report",
)

C = ConcernStatus
CONCERNS = Workflow(
    name="safeguarding concern",
    model=ListingReport,
    states=ConcernStatus,
    moves=(
        Move(
            C.RECEIVED,
            C.ACKNOWLEDGED,
            {COUNCIL},
            guards=[note_required("Say how the concern was acknowledged, and by whom")],
        ),
        Move(
            C.ACKNOWLEDGED,
            C.REFERRED,
            {COUNCIL},
            guards=[note_required("Say who it was referred to (for example the LADO), and when")],
        ),
        Move(
            C.ACKNOWLEDGED,
            C.NO_FURTHER_ACTION,
            {COUNCIL},
            guards=[note_required("Say why no further action is needed, and who decided")],
        ),
        Move(
            C.REFERRED,
            C.CLOSED,
            {COUNCIL},
            guards=[note_required("Say what the referral led to, and why it can be closed")],
        ),
        Move(
            C.NO_FURTHER_ACTION,
            C.CLOSED,
            {COUNCIL},
            guards=[note_required("Say why the concern can be closed")],
        ),
    ),
    roles_of=council_only,
    record=report_event,
    before_save=finished,
    noun="safeguarding concern",
)
