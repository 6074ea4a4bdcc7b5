"""Reminders (idempotent: `send_kitemark_reminders`) and the re-audits that are overdue."""

import datetime

from django.conf import settings
from django.db import transaction

from core.dates import today
from core.reminders import send_once

from .. import notifications
from ..models import Assignment, Audit
from ..notifications import Message
from .audits import S
from .decisions import awards_refresh
from .reviews import REVIEWABLE


def remind_once(kind: notifications.Message, key: str) -> bool:
    """True the first time for (kind, key): the row is written before anything is sent."""
    return send_once(kind.value, key[:128])


@transaction.atomic
def reminders_send(*, on: datetime.date | None = None) -> dict[str, int]:
    """Renewals and expiries, upcoming visits, overdue reviews and re-audits due. Running it
    twice sends nothing twice."""
    on = on or today()
    counts = awards_refresh(on=on)
    counts.update(visit_soon=0, review_overdue=0, reaudit_due=0)
    soon = on + datetime.timedelta(days=settings.KITEMARK_VISIT_REMINDER_DAYS)
    for assignment in (
        Assignment.objects.filter(audit__status=S.SCHEDULED, audit__visit_date__range=(on, soon))
        .filter(auditor__isnull=False)
        .select_related("audit__listing", "auditor__user")
    ):
        audit = assignment.audit
        if remind_once(Message.KITEMARK_VISIT_SOON, f"{assignment.pk}:{audit.visit_date}"):
            notifications.visit_soon(assignment)
            counts["visit_soon"] += 1
    late = on - datetime.timedelta(days=settings.KITEMARK_REVIEW_DAYS)
    for assignment in (
        Assignment.objects.filter(
            audit__status__in=REVIEWABLE, audit__visit_date__lt=late, submitted_at__isnull=True
        )
        .filter(auditor__isnull=False)
        .select_related("audit__listing", "auditor__user")
    ):
        audit = assignment.audit
        if remind_once(Message.KITEMARK_REVIEW_OVERDUE, f"{assignment.pk}"):
            notifications.review_overdue(assignment)
            counts["review_overdue"] += 1
    for audit in overdue_reaudits(on=on):
        if remind_once(Message.KITEMARK_REAUDIT_DUE, f"{audit.pk}:{audit.reaudit_due_on}"):
            notifications.reaudit_due(audit)
            counts["reaudit_due"] += 1
    return counts


def overdue_reaudits(*, on: datetime.date | None = None):
    """'Not yet' decisions whose re-audit date has come, with no newer audit of the listing."""
    on = on or today()
    return (
        Audit.objects.filter(status=S.NOT_YET, reaudit_due_on__lte=on)
        .exclude(follow_ups__isnull=False)
        .select_related("listing")
        .order_by("reaudit_due_on")
    )
