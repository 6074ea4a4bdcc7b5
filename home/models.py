from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The front door: tells a family in plain English what the service is and how to start."""

    intro = models.CharField(
        max_length=300,
        default="Find short breaks, personal assistants and inclusive clubs for disabled "
        "children and young people, near you or who can come to you.",
    )
    body = RichTextField(blank=True, features=["h2", "h3", "bold", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["directory.DirectoryIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from directory.selectors import directory_index, kind_counts

        context = super().get_context(request, *args, **kwargs)
        context["directory"] = directory_index()
        context["kind_counts"] = kind_counts()
        return context


class AuditEvent(models.Model):
    """Append-only record of who did what to which record, and when.

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
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)


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
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class SentReminder(models.Model):
    """Makes reminders idempotent: one row per (kind, subject key), written before sending."""

    kind = models.CharField(max_length=64)
    key = models.CharField(max_length=128)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_reminder_per_key")]

    def __str__(self):
        return f"{self.kind} {self.key}"


class Consent(models.Model):
    """A person's recorded agreement to something, with the words they agreed to.

    Append-only: withdrawing consent is a new row with `given=False`, so the history of what
    someone agreed to, and when, is never lost."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(max_length=64)
    wording = models.TextField()
    given = models.BooleanField(default=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{self.purpose} ({'given' if self.given else 'withdrawn'})"
