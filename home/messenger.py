"""The one path every notification takes: email from templates, in-app update, audit row.

Callers name a `MessageKind`, the recipients and the context; nothing else in the product sends
email directly. Templates live in `templates/messages/<kind>_subject.txt` and `<kind>.txt`.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.template.loader import render_to_string

from .models import AuditEvent, Notification
from .tasks import deliver_email


class MessageKind(models.TextChoices):
    LISTING_REPORTED = "listing_reported", "A family reported a problem with a listing"
    FRESHNESS_REMINDER = "freshness_reminder", "Please confirm your listing is still accurate"
    DBS_DUE_SOON = "dbs_due_soon", "A DBS check is due for renewal soon"
    DBS_LAPSED = "dbs_lapsed", "A DBS check has lapsed"
    DBS_SUBMITTED = "dbs_submitted", "DBS check details submitted for verification"
    APPLICATION_CONFIRM_EMAIL = "application_confirm_email", "Confirm your email address"
    APPLICATION_RECEIVED = "application_received", "New provider application to review"
    APPLICATION_ADMITTED = "application_admitted", "Your provider account is ready"
    APPLICATION_DECLINED = "application_declined", "Your provider application"


def send(
    kind: MessageKind,
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
    context = {
        **(context or {}),
        "SERVICE_NAME": settings.SERVICE_NAME,
        "BASE_URL": settings.WAGTAILADMIN_BASE_URL,
        "url": url,
    }
    subject = render_to_string(f"messages/{kind.value}_subject.txt", context).strip()
    body = render_to_string(f"messages/{kind.value}.txt", context)

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
            actor=actor,
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


def council_staff():
    """Users who receive the council's copies (moderators / commissioners)."""
    from directory.roles import COUNCIL_MODERATORS

    return get_user_model().objects.filter(groups__name=COUNCIL_MODERATORS, is_active=True)


def audit(*, actor, action: str, obj: models.Model, summary: str) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary,
    )
