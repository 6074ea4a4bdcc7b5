"""The one path every message takes: email from templates, in-app update, audit row.

Only an app's `notifications.py` calls `send` (an import-linter contract keeps it so): that
module decides who hears about what. Each app names its messages in a `TextChoices` of its
own; templates live in `templates/messages/<value>_subject.txt` and `<value>.txt`.
"""

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import models, transaction

from . import outbox
from .models import AuditEvent, Notification
from .tasks import deliver_email

_muted = threading.local()


@contextmanager
def muted():
    """Demo data: take records through the services without telling anyone (no email, no
    update, no "notified" audit row)."""
    _muted.on = True
    try:
        yield
    finally:
        _muted.on = False


def send(
    kind: models.TextChoices,
    *,
    users: Iterable = (),
    emails: Iterable[str] = (),
    context: dict | None = None,
    url: str = "",
    link: tuple[str, Iterable] | None = None,
    inbox_url: str | None = None,
    actor=None,
    related: models.Model | None = None,
) -> int:
    """Send `kind` to users (email + in-app update) and bare addresses (email only).

    `url` goes in the email. A link that is a credential (a password reset, a signed
    confirmation) is never made here: give `link=("app.module.function", [record, ...])`, a
    function that makes the link from those records when the email is sent (it returns None
    when the link can no longer be made), and `inbox_url` for the in-app update.

    `context` holds records, dates and short values (core/outbox.py): the email is rendered
    when it is sent, from the records as they are then.

    Returns how many emails were sent. Email goes out after the surrounding transaction
    commits, so a rolled-back change never tells anyone anything.
    """
    if getattr(_muted, "on", False):
        return 0
    context = context or {}
    users = [u for u in users if u is not None]
    addresses = sorted({u.email for u in users if u.email} | {e for e in emails if e})
    if users:
        subject, _ = outbox.render(kind.value, {**context, "url": "" if link else url})
    for user in users:
        Notification.objects.create(
            recipient=user,
            kind=kind.value,
            subject=subject,
            url=(url if not link else "") if inbox_url is None else inbox_url,
        )
    if related is not None:
        AuditEvent.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=f"notified:{kind.value}",
            object_type=related._meta.label_lower,
            object_id=str(related.pk),
            summary=f"{kind.label} ({len(addresses)} recipient(s))",
        )

    if addresses:
        outgoing = outbox.store(
            kind=kind.value, addresses=addresses, context=context, url=url, link=link
        )
        transaction.on_commit(lambda: deliver_email.enqueue(outgoing.pk))
    return len(addresses)
