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
    # brokerage app: a family's request, offers to providers, agreements and reminders
    BROKERAGE_FAMILY_UPDATE = "brokerage_family_update", "An update on your request for support"
    BROKERAGE_NEW_REQUEST = "brokerage_new_request", "A new request for support in your area"
    BROKERAGE_BROKER_UPDATE = "brokerage_broker_update", "An update on a request you broker"
    BROKERAGE_OFFER_SENT = "brokerage_offer_sent", "Can you help a family?"
    BROKERAGE_OFFER_OUTCOME = "brokerage_offer_outcome", "An update on an offer you made"
    BROKERAGE_AGREEMENT_TO_CONFIRM = "brokerage_agreement_to_confirm", "Please confirm an agreement"
    BROKERAGE_SLA_OVERDUE = "brokerage_sla_overdue", "A family is waiting for first contact"
    BROKERAGE_REVIEW_DUE = "brokerage_review_due", "A review of agreed support is due"
    BROKERAGE_OFFER_EXPIRING = "brokerage_offer_expiring", "An offer request is about to expire"
    # kitemark app: audits by young auditors, panel decisions, awards and reminders
    KITEMARK_AUDIT_REQUESTED = "kitemark_audit_requested", "A kitemark audit was requested"
    KITEMARK_VISIT_SCHEDULED = "kitemark_visit_scheduled", "A kitemark visit is booked"
    KITEMARK_VISIT_SOON = "kitemark_visit_soon", "A kitemark visit is coming up"
    KITEMARK_REVIEW_OVERDUE = "kitemark_review_overdue", "A kitemark review is overdue"
    KITEMARK_REVIEWS_SUBMITTED = "kitemark_reviews_submitted", "Kitemark reviews are ready"
    KITEMARK_AWARDED = "kitemark_awarded", "A kitemark was awarded"
    KITEMARK_NOT_YET = "kitemark_not_yet", "Kitemark: not yet, with advice"
    KITEMARK_RENEWAL_DUE = "kitemark_renewal_due", "A kitemark is due for renewal"
    KITEMARK_EXPIRED = "kitemark_expired", "A kitemark has expired"
    KITEMARK_WITHDRAWN = "kitemark_withdrawn", "A kitemark was withdrawn"
    KITEMARK_REAUDIT_DUE = "kitemark_reaudit_due", "A kitemark re-audit is due"
    # Public accounts (home.accounts)
    ACCOUNT_CONFIRM_EMAIL = "account_confirm_email", "Finish making your account"
    ACCOUNT_EXISTS = "account_exists", "You already have an account"
    PASSWORD_RESET = "password_reset", "Choose a new password"


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
