"""An audit's moves: the one transition wrapper every status change goes through, and the
request, scheduling and withdrawal of an audit.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.dates import today
from directory.models import ListingPage
from directory.permissions import is_council_staff

from .. import notifications, permissions
from ..choices import OPEN, AuditStatus, Requester
from ..models import Assignment, Audit, AuditEvent, AuditorProfile, StandardSet
from ..workflow import AUDITS

S = AuditStatus


def allowed_moves(user, audit: Audit) -> list[str]:
    return AUDITS.allowed_moves(user, audit)


def audit_transition(
    *,
    user,
    audit: Audit,
    to: str,
    expected_status: str | None = None,
    note: str = "",
    system: bool = False,
    changes: dict | None = None,
) -> Audit:
    """Move an audit to `to` through the workflow engine (`kitemark/workflow.py`).
    `user=None, system=True` is the product acting (a date passed). `changes` are field
    values saved with the move (a visit date, the decision's reasons)."""
    return AUDITS.move(
        audit,
        to,
        user=user,
        system=system,
        expected_status=expected_status,
        note=note,
        changes=changes,
    )


# --- Requests and scheduling ------------------------------------------------------------------


@transaction.atomic
def audit_request(*, user, listing: ListingPage, note: str = "") -> Audit:
    """A provider (for their own listing), the council or the coordinator asks for an audit,
    or a re-audit: the latest decided audit of the listing becomes its `previous`."""
    if not permissions.can_request_audit(user, listing):
        raise PermissionDenied("You can only ask for an audit of your own listings")
    ListingPage.objects.select_for_update().filter(pk=listing.pk).first()  # one request at once
    if Audit.objects.filter(listing=listing, status__in=OPEN).exists():
        raise ValidationError("This listing already has a kitemark audit on the way")
    standard_set = StandardSet.objects.current()
    if standard_set is None:
        raise ValidationError("There are no published kitemark standards yet")
    if permissions.is_coordinator(user):
        requested_as = Requester.COORDINATOR
    elif is_council_staff(user):
        requested_as = Requester.COUNCIL
    else:
        requested_as = Requester.PROVIDER
    audit = Audit.objects.create(
        listing=listing,
        standard_set=standard_set,
        requested_by=user,
        requested_as=requested_as,
        request_note=note.strip(),
        previous=Audit.objects.filter(listing=listing).decided().order_by("-pk").first(),
    )
    AuditEvent.objects.create(audit=audit, actor=user, to_status=S.REQUESTED, note=note.strip())
    notifications.audit_requested(audit, actor=user)
    return audit


@transaction.atomic
def audit_schedule(
    *,
    user,
    audit: Audit,
    visit_date: datetime.date,
    auditors: list[AuditorProfile],
    supporting_adult: str,
    expected_status: str,
    note: str = "",
    visit_time: datetime.time | None = None,
) -> Audit:
    """Book the visit: a date (and the time it starts), at least two trained auditors, and a
    supporting adult."""
    if not permissions.is_coordinator(user):
        raise PermissionDenied("Only the kitemark coordinator schedules visits")
    errors = {}
    if visit_date is None or visit_date < today():
        errors["visit_date"] = "The visit date must be today or in the future"
    auditors = list(dict.fromkeys(auditors))
    if len(auditors) < settings.KITEMARK_MIN_AUDITORS:
        errors["auditors"] = (
            f"Choose at least {settings.KITEMARK_MIN_AUDITORS} young auditors for the visit"
        )
    not_ready = [a.first_name for a in auditors if not a.ready_for_visits(visit_date)]
    if not_ready and "auditors" not in errors:
        errors["auditors"] = (
            "Not ready for visits (training, or parental consent for under-16s): "
            + ", ".join(not_ready)
        )
    if not supporting_adult.strip():
        errors["supporting_adult"] = "Name the adult who will support the young auditors"
    if errors:
        raise ValidationError(errors)
    audit = audit_transition(
        user=user,
        audit=audit,
        to=S.SCHEDULED,
        expected_status=expected_status,
        note=note or f"Visit on {visit_date:%-d %B %Y}",
        changes={
            "visit_date": visit_date,
            "visit_time": visit_time,
            "supporting_adult": supporting_adult.strip(),
        },
    )
    keep = {a.pk for a in auditors}
    for assignment in audit.assignments.exclude(auditor_id__in=keep):
        if assignment.answers.exists():
            raise ValidationError(
                {"auditors": f"{assignment.auditor_name} has already started their review"}
            )
        assignment.delete()
    for auditor in auditors:
        Assignment.objects.get_or_create(audit=audit, auditor=auditor)
    notifications.visit_booked(audit, auditors, actor=user)
    return audit


# --- Withdrawal and cancellation --------------------------------------------------------------


def audit_withdraw(*, user, audit: Audit, note: str, expected_status: str) -> Audit:
    """Take a kitemark away (e.g. a complaint upheld). The badge goes at once."""
    return audit_transition(
        user=user, audit=audit, to=S.WITHDRAWN, expected_status=expected_status, note=note
    )
