"""The council's review of a DBS check, and the provider's answer to a query: keyword-only,
atomic, permission-checked writes, each one move of `DBS_CHECKS` (directory/workflow.py,
docs/workflows/dbs-checks.md). The engine refuses a move the table does not have or the
person may not make; these check the details first, so a form hears what is wrong."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.dates import today

from . import permissions
from .choices import DBSCheckMethod, DBSReview
from .models import DBSCheck
from .services import organisation_refresh_safeguarding
from .workflow import DBS_CHECKS


def _method_changes(
    check: DBSCheck,
    *,
    method: str,
    status_check_on: datetime.date | None,
    date_of_birth_used: bool,
    method_note: str,
    next_due_date: datetime.date | None,
) -> dict:
    """The fields a verification sets, from how the council checked it; or the reasons it
    cannot, field by field."""
    now = today()
    errors = {}
    method_note = (method_note or "").strip()
    if method not in DBSCheckMethod.values:
        raise ValidationError({"method": "Choose how you checked it"})
    if method == DBSCheckMethod.UPDATE_SERVICE:
        if status_check_on is None:
            errors["status_check_on"] = "Enter the date of the Update Service status check"
        elif status_check_on > now:
            errors["status_check_on"] = "The status check date cannot be in the future"
        elif status_check_on < check.issue_date:
            errors["status_check_on"] = "The status check cannot be before the certificate's issue"
        if not date_of_birth_used:
            errors["date_of_birth_used"] = (
                "A status check needs the person's date of birth: confirm you used it"
            )
    if method == DBSCheckMethod.OTHER and not method_note:
        errors["method_note"] = "Say how you checked it"
    if errors:
        raise ValidationError(errors)
    changes = {
        "method": method,
        "method_note": method_note if method == DBSCheckMethod.OTHER else "",
        "date_of_birth_used": method == DBSCheckMethod.UPDATE_SERVICE,
    }
    if method == DBSCheckMethod.UPDATE_SERVICE:
        changes.update(update_service=True, last_status_check=status_check_on)
    due = check.next_due_by(method, status_check_on)
    if next_due_date is not None:
        if next_due_date <= now:
            raise ValidationError({"next_due_date": "The next due date must be in the future"})
        due = next_due_date
    elif due <= now:
        raise ValidationError(
            {
                "method": f"Checked this way it was due for renewal on {due:%-d %B %Y}, so it "
                "cannot be verified as current: make an Update Service status check, or query it"
            }
        )
    changes["next_due_date"] = due
    return changes


def dbs_check_verify(
    *,
    user,
    check: DBSCheck,
    method: str,
    status_check_on: datetime.date | None = None,
    date_of_birth_used: bool = False,
    method_note: str = "",
    next_due_date: datetime.date | None = None,
    expected_status: str | None = None,
) -> DBSCheck:
    """Council staff confirm a check, saying how: the certificate seen (due the renewal period
    after issue), an Update Service status check (due a year after it; it needs the person's
    date of birth, which is not kept), or another way. A verified check may be verified again
    (a new status check)."""
    if not permissions.can_verify_dbs(user):
        raise PermissionDenied("Only council staff can verify DBS checks")
    changes = _method_changes(
        check,
        method=method,
        status_check_on=status_check_on,
        date_of_birth_used=date_of_birth_used,
        method_note=method_note,
        next_due_date=next_due_date,
    )
    with transaction.atomic():
        check = DBS_CHECKS.move(
            check, DBSReview.VERIFIED, user=user, changes=changes, expected_status=expected_status
        )
        organisation_refresh_safeguarding(organisation=check.person.organisation)
    return check


def dbs_check_query(
    *, user, check: DBSCheck, note: str, expected_status: str | None = None
) -> DBSCheck:
    """Council staff ask the provider for what is missing; the check stays unverified."""
    if not permissions.can_verify_dbs(user):
        raise PermissionDenied("Only council staff can query DBS checks")
    return _review(user, check, DBSReview.QUERIED, note=note, expected_status=expected_status)


def dbs_check_reject(
    *, user, check: DBSCheck, note: str, expected_status: str | None = None
) -> DBSCheck:
    """Council staff reject a check, saying why. It no longer counts for any badge."""
    if not permissions.can_verify_dbs(user):
        raise PermissionDenied("Only council staff can reject DBS checks")
    return _review(user, check, DBSReview.REJECTED, note=note, expected_status=expected_status)


def _review(user, check, to, *, note, expected_status) -> DBSCheck:
    if len(note or "") > 1000:
        raise ValidationError({"note": "Keep it to 1,000 characters or fewer"})
    with transaction.atomic():
        check = DBS_CHECKS.move(
            check, to, user=user, note=note or "", expected_status=expected_status
        )
        organisation_refresh_safeguarding(organisation=check.person.organisation)
    return check


def dbs_check_answer(
    *,
    user,
    check: DBSCheck,
    note: str,
    level: str,
    issue_date: datetime.date,
    certificate_number: str = "",
    update_service: bool = False,
    last_status_check: datetime.date | None = None,
    expected_status: str | None = None,
) -> DBSCheck:
    """The provider answers the council's query, correcting the details if need be (a blank
    certificate number keeps the one sent before, which the provider is never shown). The
    check goes back to the council to verify."""
    if not permissions.can_submit_dbs(user, check.person):
        raise PermissionDenied("You cannot answer for this person's checks")
    if len(note or "") > 1000:
        raise ValidationError({"note": "Keep it to 1,000 characters or fewer"})
    draft = DBSCheck.objects.get(pk=check.pk)
    draft.level, draft.issue_date = level, issue_date
    draft.update_service, draft.last_status_check = update_service, last_status_check
    if certificate_number:
        draft.certificate_number = certificate_number.replace(" ", "")
    if issue_date:
        draft.next_due_date = DBSCheck.default_next_due(
            issue_date, update_service, last_status_check
        )
    draft.full_clean()
    changes = {
        name: getattr(draft, name)
        for name in (
            "level",
            "certificate_number",
            "issue_date",
            "update_service",
            "last_status_check",
            "next_due_date",
        )
    }
    with transaction.atomic():
        check = DBS_CHECKS.move(
            check,
            DBSReview.SUBMITTED,
            user=user,
            note=note or "",
            changes=changes,
            expected_status=expected_status,
        )
        organisation_refresh_safeguarding(organisation=check.person.organisation)
    return check
