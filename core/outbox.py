"""Emails are written when they are sent, not when they are queued.

`core.messenger.send` stores an `OutgoingEmail` (what to render, for whom) and queues
`core.tasks.deliver_email` with its id only, so the task table never holds a body, a name or
a link. The worker calls `deliver`, which renders the templates from the stored references,
makes any one-time link there and then, sends, and wipes the row. `prune` (the daily jobs)
deletes finished tasks and old rows.

The context may hold records (stored by model and id, and read again when sent: a record
deleted meanwhile, by erasure for example, means the email is not sent), dates and times,
and plain numbers, booleans and short strings.
"""

import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from .models import OutgoingEmail

logger = logging.getLogger(__name__)


class Gone(Exception):
    """Something the email is about no longer exists: it is not sent."""


def pack(value):
    if isinstance(value, models.Model):
        return {"$record": value._meta.label_lower, "pk": value.pk}
    if isinstance(value, datetime.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"$date": value.isoformat()}
    if isinstance(value, Promise):  # a translatable label
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"An email's context cannot hold a {type(value).__name__}")


def unpack(value):
    if isinstance(value, dict):
        if "$record" in value:
            record = apps.get_model(value["$record"])._default_manager.filter(pk=value["pk"])
            found = record.first()
            if found is None:
                raise Gone(value["$record"])
            return found
        if "$datetime" in value:
            return datetime.datetime.fromisoformat(value["$datetime"])
        if "$date" in value:
            return datetime.date.fromisoformat(value["$date"])
    return value


def render(kind: str, context: dict) -> tuple[str, str]:
    """The subject (one line) and body of the message `kind`, plain text."""
    context = {
        **context,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "BASE_URL": settings.WAGTAILADMIN_BASE_URL,
    }
    subject = render_to_string(f"messages/{kind}_subject.txt", context, using="text")
    body = render_to_string(f"messages/{kind}.txt", context, using="text")
    return " ".join(subject.split()), body


def store(
    *, kind: str, addresses: list[str], context: dict, url: str, link: tuple | None
) -> OutgoingEmail:
    path, args = link if link else ("", ())
    return OutgoingEmail.objects.create(
        kind=kind,
        addresses=list(addresses),
        context={name: pack(value) for name, value in context.items()},
        url="" if link else url,
        link=path,
        link_args=[pack(arg) for arg in args],
    )


def deliver(outgoing_id: int) -> int:
    """Render and send one stored email to each address separately (so recipients never see
    each other). Sent once: a second call for the same row sends nothing.

    A worker killed part-way (a deployment, the machine restarting) leaves the task to run
    again (`core.worker.requeue_abandoned`): `sent_count` counts the addresses already sent,
    recorded after each one, so the run again sends only to the others. Each message carries
    a Message-ID made from the row and the address's place (`idempotency_key`): if the worker
    died during the very send, the one message sent again has the same id, so mail servers and
    mailboxes recognise it as the same message."""
    email = OutgoingEmail.objects.filter(pk=outgoing_id, sent_at=None).first()
    if email is None:
        return 0
    try:
        context = {name: unpack(value) for name, value in email.context.items()}
        url = email.url
        if email.link:
            url = import_string(email.link)(*[unpack(arg) for arg in email.link_args])
            if url is None:
                raise Gone(email.link)
    except Gone:
        logger.info("Not sent: what %s was about is gone", email.kind)
        finish(email, sent=email.sent_count)
        return 0
    subject, body = render(email.kind, {**context, "url": url})
    already = email.sent_count
    for index, address in enumerate(email.addresses):
        if index < already:
            continue
        message = EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [address],
            headers={"Message-ID": message_id(email, index)},
        )
        message.send()
        OutgoingEmail.objects.filter(pk=email.pk).update(sent_count=index + 1)
    finish(email, sent=len(email.addresses))
    sent = len(email.addresses) - already
    if already:
        logger.info("Sent %s to %d more recipient(s) after a retry", email.kind, sent)
    else:
        logger.info("Sent %s to %d recipient(s)", email.kind, sent)
    return sent


def idempotency_key(email: OutgoingEmail, index: int) -> str:
    """The same for every attempt at sending this row to its `index`th address, and
    different from any other message (the row's creation time tells apart rows with the same
    id in different databases, a restored backup for instance)."""
    return f"{email.pk}.{index}.{email.created_at:%Y%m%d%H%M%S%f}"


def message_id(email: OutgoingEmail, index: int) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost"
    return f"<sbf.{idempotency_key(email, index)}@{domain}>"


def finish(email: OutgoingEmail, *, sent: int) -> None:
    """Keep only that it went, and to how many: no addresses, no context."""
    OutgoingEmail.objects.filter(pk=email.pk).update(
        sent_at=timezone.now(), sent_count=sent, addresses=[], context={}, link_args=[]
    )


def prune(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete finished background tasks and outgoing emails older than
    `EMAIL_RETENTION_DAYS`. An email still unsent by then is deleted too: its links would have
    expired, and it must not keep what it was about."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.EMAIL_RETENTION_DAYS)
    tasks, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    with transaction.atomic():
        emails, _ = OutgoingEmail.objects.filter(created_at__lt=cutoff).delete()
    return {"tasks": tasks, "emails": emails}
