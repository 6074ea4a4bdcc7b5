"""Writes for reports from the public: keyword-only, atomic, permission-checked.

An ordinary report (a wrong phone number) gets notes and is dealt with, saying what was done.
A report about a child's safety is a safeguarding concern: emailed at once to the designated
safeguarding inbox and the LADO, acknowledged to the person who sent it, and moved only
through its own steps (`CONCERNS` in `workflow.py`, docs/workflows/safeguarding-concerns.md).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit
from core.workflow import TransitionRefused

from . import notifications, permissions
from .choices import ConcernStatus, ReportReason, ReportStatus, ReportStep
from .models import ListingPage, ListingReport, ReportEvent
from .workflow import CONCERNS, REPORTS

NOTE_MAX = 2000


def listing_report_create(
    *, listing: ListingPage, safety: bool, reason: str, details: str, reply_email: str = ""
) -> ListingReport:
    """Anyone may report a problem with a public listing. A report about a child's safety
    is received as a safeguarding concern, whatever else was chosen."""
    report = ListingReport(
        listing=listing,
        safeguarding=safety,
        reason=ReportReason.SAFEGUARDING if safety else reason,
        details=details,
        reply_email=reply_email,
        status=ConcernStatus.RECEIVED if safety else ReportStatus.OPEN,
    )
    with transaction.atomic():
        report.full_clean()
        report.save()
        ReportEvent.objects.create(report=report, to_status=report.status)
        if safety:
            audit(
                actor=None,
                action="safeguarding_concern_received",
                obj=report,
                summary="Safeguarding concern received",
            )
            notifications.concern_received(report)
        else:
            notifications.listing_reported(report)
    return report


def check_note(note: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": message})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": "Keep the note to 2,000 characters or fewer"})
    return note


def listing_report_note(*, user, report: ListingReport, note: str) -> ReportEvent:
    """Council staff add a note to a report or a concern; its status stays as it is."""
    if not permissions.is_council_staff(user):
        raise PermissionDenied("Only council staff can add notes to reports")
    note = check_note(note, "Write the note")
    with transaction.atomic():
        report = ListingReport.objects.select_for_update().get(pk=report.pk)
        event = ReportEvent.objects.create(
            report=report,
            actor=user,
            actor_name=user.get_full_name() or user.get_username(),
            from_status=report.status,
            to_status=report.status,
            note=note,
        )
        audit(actor=user, action="report_note_added", obj=report, summary="Note added")
    return event


def listing_report_deal_with(
    *, user, report: ListingReport, note: str, expected_status: str | None = None
) -> ListingReport:
    """Council staff mark an ordinary report as dealt with, saying what was done. A
    safeguarding concern is never closed this way."""
    if not permissions.is_council_staff(user):
        raise PermissionDenied("Only council staff can close reports")
    if report.safeguarding:
        raise TransitionRefused(
            "A safeguarding concern cannot be marked as dealt with. Acknowledge it, then "
            "record whether it was referred or needs no further action.",
            code="illegal",
        )
    check_note(note, "Say what was done about the report")
    return REPORTS.move(
        report, ReportStatus.DEALT_WITH, user=user, note=note, expected_status=expected_status
    )


def listing_report_make_concern(
    *, user, report: ListingReport, note: str, expected_status: str | None = None
) -> ListingReport:
    """Council staff see an ordinary report is really about a child's safety: it becomes a
    safeguarding concern, received, and goes at once to the designated inboxes."""
    if not permissions.is_council_staff(user):
        raise PermissionDenied("Only council staff can act on reports")
    if report.safeguarding:
        raise TransitionRefused("This report is already a safeguarding concern.", code="illegal")
    if len(note or "") > NOTE_MAX:
        raise ValidationError({"note": "Keep the note to 2,000 characters or fewer"})
    return REPORTS.move(
        report, ReportStep.RECEIVED, user=user, note=note, expected_status=expected_status
    )


def concern_move(
    *, user, report: ListingReport, to: str, note: str, expected_status: str | None = None
) -> ListingReport:
    """Council staff take a safeguarding concern one step on, with a note."""
    if not permissions.is_council_staff(user):
        raise PermissionDenied("Only council staff can act on safeguarding concerns")
    if not report.safeguarding:
        raise TransitionRefused("This report is not a safeguarding concern.", code="illegal")
    if len(note or "") > NOTE_MAX:
        raise ValidationError({"note": "Keep the note to 2,000 characters or fewer"})
    return CONCERNS.move(report, to, user=user, note=note, expected_status=expected_status)
