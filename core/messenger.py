"""The one path every message takes: email from templates, in-app update, audit row.

Only an app's `notifications.py` calls `send` (an import-linter contract keeps it so): that
module decides who hears about what. Each app names its messages in a `TextChoices` of its
own; templates live in `templates/messages/<value>_subject.txt` and `<value>.txt`.
"""

import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.db import models, transaction
from django.template.loader import render_to_string

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
    inbox_url: str | None = None,
    actor=None,
    related: models.Model | None = None,
) -> int:
    """Send `kind` to users (email + in-app update) and bare addresses (email only).

    `url` goes in the email. When it carries a one-time credential (a signed link, a password
    reset token), give `inbox_url` for the stored in-app update, so no credential is kept.

    Returns how many emails were sent. Email goes out after the surrounding transaction
    commits, so a rolled-back change never tells anyone anything.
    """
    if getattr(_muted, "on", False):
        return 0
    context = {
        **(context or {}),
        "SERVICE_NAME": settings.SERVICE_NAME,
        "BASE_URL": settings.WAGTAILADMIN_BASE_URL,
        "url": url,
    }
    subject = render_to_string(f"messages/{kind.value}_subject.txt", context, using="text")
    subject = " ".join(subject.split())  # one line, whatever the template's line breaks
    body = render_to_string(f"messages/{kind.value}.txt", context, using="text")

    users = [u for u in users if u is not None]
    addresses = sorted({u.email for u in users if u.email} | {e for e in emails if e})
    for user in users:
        Notification.objects.create(
            recipient=user,
            kind=kind.value,
            subject=subject,
            url=url if inbox_url is None else inbox_url,
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
        transaction.on_commit(
            lambda: deliver_email.enqueue(
                kind=kind.value, subject=subject, body=body, addresses=addresses
            )
        )
    return len(addresses)
