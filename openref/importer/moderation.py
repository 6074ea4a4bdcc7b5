"""Wagtail emails the moderators each time a page is sent for review. An import of thousands
of drafts would send thousands; while it runs those emails are held back and the import says
once how many wait (`notifications.import_waiting`)."""

from contextlib import contextmanager

from wagtail.admin import signal_handlers
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_submitted

PAUSED = [
    (task_submitted, signal_handlers.task_submission_email_notifier, TaskState,
     "group_approval_task_submitted_email_notification"),
    (workflow_submitted, signal_handlers.workflow_submission_email_notifier, WorkflowState,
     "workflow_state_submitted_email_notification"),
]  # fmt: skip


@contextmanager
def moderation_emails_paused():
    """Hold back Wagtail's "submitted for moderation" emails (this process only)."""
    disconnected = [
        (signal, receiver, sender, uid)
        for signal, receiver, sender, uid in PAUSED
        if signal.disconnect(receiver, sender=sender, dispatch_uid=uid)
    ]
    try:
        yield
    finally:
        for signal, receiver, sender, uid in disconnected:
            signal.connect(receiver, sender=sender, dispatch_uid=uid)
