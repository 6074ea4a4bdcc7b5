"""Writes for the kitemark: keyword-only, atomic, permission-checked.

An audit's status changes only in `audit_transition`, which locks the row, refuses an illegal
move or a move by someone not allowed to make it, refuses when the audit changed since the
person looked at it (`expected_status`), writes the event row, saves and notifies.

The writes live in modules by sub-domain; this package re-exports them, so callers keep
writing `from kitemark import services` and `services.<name>(...)`.
"""

from core.dates import today

from .auditors import auditor_create, auditor_set_password, auditor_username_set, clean_username
from .audits import (
    S,
    allowed_moves,
    audit_request,
    audit_schedule,
    audit_transition,
    audit_withdraw,
)
from .decisions import (
    Decision,
    audit_decide,
    audit_publish_quotes,
    awards_refresh,
    renewal_notice_date,
)
from .reminders import overdue_reaudits, remind_once, reminders_send
from .reviews import REVIEWABLE, answer_save, assignment_for, missing_standards, review_submit
from .standards import standard_set_new_version, standard_set_publish

__all__ = [
    "Decision",
    "REVIEWABLE",
    "S",
    "allowed_moves",
    "answer_save",
    "assignment_for",
    "audit_decide",
    "audit_publish_quotes",
    "audit_request",
    "audit_schedule",
    "audit_transition",
    "audit_withdraw",
    "auditor_create",
    "auditor_set_password",
    "auditor_username_set",
    "awards_refresh",
    "clean_username",
    "missing_standards",
    "overdue_reaudits",
    "remind_once",
    "reminders_send",
    "renewal_notice_date",
    "review_submit",
    "standard_set_new_version",
    "standard_set_publish",
    "today",
]
