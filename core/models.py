"""The records every part of the product shares: the audit trail, people's own updates,
"send once" reminders and recorded consent.

These tables were created by the `home` app and keep their names (`db_table`), so a database
migrated before they moved here keeps every row (core/migrations/0001_initial.py).
"""

from django.conf import settings
from django.db import models


class AppendOnly(models.Model):
    """A history row: written once, never changed, never deleted one by one.

    Whole histories still go when what they describe is deleted (a cascade from the request
    or audit they belong to runs in SQL, not through `delete()`), so erasure keeps working."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError(f"{self._meta.verbose_name} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self._meta.verbose_name} rows are append-only")


class AuditEvent(AppendOnly):
    """Who did what to which record, and when.

    Never holds personal data beyond the acting user: `summary` says what happened in words
    that are safe to show to council staff ("DBS check verified"), not the data itself.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=255)

    class Meta:
        db_table = "home_auditevent"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="home_audite_object__860f5c_idx")
        ]
        verbose_name = "audit event"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


class Notification(models.Model):
    """An update shown in a person's own list of updates, alongside the email."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=64)
    subject = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "home_notification"
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class SentReminder(models.Model):
    """Makes reminders idempotent: one row per (kind, subject key), written before sending."""

    kind = models.CharField(max_length=64)
    key = models.CharField(max_length=128)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "home_sentreminder"
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_reminder_per_key")]

    def __str__(self):
        return f"{self.kind} {self.key}"


class Consent(models.Model):
    """A person's recorded agreement to something, with the words they agreed to.

    Append-only in practice: withdrawing consent is a new row with `given=False`, so the
    history of what someone agreed to, and when, is never lost."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(max_length=64)
    wording = models.TextField()
    given = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "home_consent"
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.purpose} ({'given' if self.given else 'withdrawn'})"


class OutgoingEmail(models.Model):
    """An email waiting for the worker: what to render and for whom, never the text itself.

    The background task carries only this row's id. The row holds the message's kind, its
    template context as references (`core.outbox`: records by id, dates, short values) and,
    for a message with a one-time link (a password reset, a confirmation), the name of the
    function that makes the link when the email is sent, so no working link is ever stored.
    Once sent, the context and addresses are wiped; the daily jobs delete the row after
    `EMAIL_RETENTION_DAYS` (`manage.py prune_sent_email`)."""

    kind = models.CharField(max_length=64)
    addresses = models.JSONField(default=list)
    context = models.JSONField(default=dict)
    url = models.CharField(max_length=500, blank=True)
    link = models.CharField(max_length=200, blank=True)
    link_args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "outgoing email"

    def __str__(self):
        return f"{self.kind} #{self.pk}"
