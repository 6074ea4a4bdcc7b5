"""Background work. Production runs these in the django-tasks database worker (`make worker`);
development and tests run them at once.

A task's arguments are kept in the task table until the daily jobs prune it, so they are only
ids: never an email's text, an address or a link (core/outbox.py)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from . import outbox

logger = logging.getLogger(__name__)


@task()
def deliver_email(
    outgoing_id: int | None = None,
    *,
    kind: str = "",
    subject: str = "",
    body: str = "",
    addresses: list[str] | None = None,
) -> int:
    """Send the stored email `outgoing_id` (core.models.OutgoingEmail).

    The keyword arguments are how emails were queued before: one queued then and still
    waiting when the site is upgraded is sent as it was."""
    if outgoing_id is not None:
        return outbox.deliver(outgoing_id)
    for address in addresses or []:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    logger.info("Sent %s to %d recipient(s)", kind, len(addresses or []))
    return len(addresses or [])
