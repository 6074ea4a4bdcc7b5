"""The youth-led kitemark: standards young people helped write, the young auditors who check
settings against them, audits (a state machine with an append-only event log), each auditor's
answers, and the panel's decision.

Young auditors' personal data is kept to the minimum: a first name and an age band, never a
date of birth. Nothing here links to a family.
"""

import datetime
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html, format_html_join
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel

from core.dates import add_months, today
from core.models import AppendOnly
from directory.models import ListingPage

from .choices import (
    CURRENT_AWARD,
    DECIDED,
    RATING_EASY,
    RATING_PICTURES,
    RATING_SYMBOLS,
    AgeBand,
    AuditStatus,
    Rating,
    Requester,
    Theme,
)

# --- Standards -----------------------------------------------------------------------------


class StandardSetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_on__isnull=False)

    def current(self):
        """The newest published version: what a new audit is checked against."""
        return self.published().order_by("-version").first()


class StandardSet(ClusterableModel):
    """One version of the standards. Once published it is frozen: audits keep pointing at the
    version they were checked against, and a change means a new version."""

    version = models.PositiveIntegerField(unique=True, editable=False)
    title = models.CharField(max_length=120, default="Our kitemark standards")
    introduction = models.TextField(
        blank=True, help_text="Shown to auditors and on the public register, in plain English."
    )
    written_with = models.CharField(
        max_length=255,
        blank=True,
        help_text="Who helped write this version, e.g. 'The young people's panel, May 2026'.",
    )
    published_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StandardSetQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("introduction"),
        FieldPanel("written_with"),
        InlinePanel("standards", heading="Standards", label="Standard", min_num=1),
    ]

    class Meta:
        ordering = ["-version"]
        verbose_name = "standards version"

    def __str__(self):
        state = f"published {self.published_on:%-d %B %Y}" if self.published_on else "draft"
        return f"Version {self.version} ({state})"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None

    @property
    def standards_text(self):
        """Every standard of this version, for reading it in the admin."""
        items = format_html_join(
            "",
            "<li>{} <br><small>{}. Easy read: {}</small></li>",
            ((s.wording, s.get_theme_display(), s.easy_read) for s in self.standards.all()),
        )
        return format_html("<ol>{}</ol>", items)

    def save(self, *args, **kwargs):
        if self.pk and self.is_published:
            stored = StandardSet.objects.filter(pk=self.pk).values_list("published_on", flat=True)
            if stored.first() is not None and not kwargs.pop("allow_published", False):
                raise ValidationError("A published version cannot be changed: make a new version")
        kwargs.pop("allow_published", None)
        if self.version is None:
            last = StandardSet.objects.aggregate(m=models.Max("version"))["m"] or 0
            self.version = last + 1
        super().save(*args, **kwargs)


class Standard(models.Model):
    standard_set = ParentalKey(StandardSet, on_delete=models.CASCADE, related_name="standards")
    number = models.PositiveSmallIntegerField(help_text="The order auditors see it in.")
    theme = models.CharField(max_length=32, choices=Theme.choices)
    wording = models.CharField(max_length=255, help_text="The standard in plain English.")
    easy_read = models.CharField(
        max_length=200, help_text="Easy read: a short sentence with everyday words."
    )
    symbol = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional picture or symbol shown beside the easy-read words.",
    )
    guidance = models.TextField(
        blank=True, help_text="What auditors can look for or ask about on the visit."
    )

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("theme")]),
        FieldPanel("wording"),
        FieldPanel("easy_read"),
        FieldPanel("symbol"),
        FieldPanel("guidance"),
    ]

    class Meta:
        ordering = ["standard_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["standard_set", "number"], name="one_standard_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.wording}"


# --- Young auditors ------------------------------------------------------------------------


class AuditorProfile(models.Model):
    """A young person on the kitemark panel. First name and age band only: no date of birth,
    no surname, no address. Managed by the kitemark coordinator."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auditor_profile"
    )
    first_name = models.CharField(max_length=40)
    age_band = models.CharField(max_length=8, choices=AgeBand.choices)
    training_completed_on = models.DateField(
        "Training completed on", null=True, blank=True, help_text="Leave empty until trained."
    )
    parental_consent_on = models.DateField(
        "Parental consent recorded on",
        null=True,
        blank=True,
        help_text="Needed for auditors under 16 before they go on a visit.",
    )
    access_needs = models.TextField(
        "Their own access needs",
        blank=True,
        help_text="What helps them take part, e.g. easy read, extra time, a quiet space.",
    )
    supporting_adult = models.CharField(
        max_length=120, blank=True, help_text="The adult who usually supports them on visits."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("first_name"),
        FieldPanel("age_band"),
        FieldRowPanel([FieldPanel("training_completed_on"), FieldPanel("parental_consent_on")]),
        FieldPanel("access_needs"),
        FieldPanel("supporting_adult"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["first_name", "pk"]
        verbose_name = "young auditor"

    def __str__(self):
        return f"{self.first_name} ({self.get_age_band_display()})"

    def clean(self):
        if (
            AgeBand.needs_parental_consent(self.age_band)
            and self.active
            and self.training_completed_on
            and not self.parental_consent_on
        ):
            raise ValidationError(
                {"parental_consent_on": "Record the parent's consent: this auditor is under 16"}
            )

    @property
    def training_due_on(self) -> datetime.date | None:
        if self.training_completed_on is None:
            return None
        return add_months(self.training_completed_on, settings.KITEMARK_TRAINING_VALID_MONTHS)

    def ready_for_visits(self, on: datetime.date | None = None) -> bool:
        """Active, trained (and not overdue a refresher), with consent where under 16."""
        on = on or today()
        if not self.active or self.training_completed_on is None:
            return False
        if self.training_due_on < on:
            return False
        return not (AgeBand.needs_parental_consent(self.age_band) and not self.parental_consent_on)


# --- Audits --------------------------------------------------------------------------------


class AuditQuerySet(models.QuerySet):
    def current_awards(self, on: datetime.date | None = None):
        return self.filter(status__in=CURRENT_AWARD, expires_on__gte=on or today())

    def decided(self):
        return self.filter(status__in=DECIDED)


class Audit(models.Model):
    """A check of one listing's setting by a team of young auditors, ending in the panel's
    decision. Its status only changes through `kitemark.services.audit_transition`."""

    listing = models.ForeignKey(ListingPage, on_delete=models.CASCADE, related_name="audits")
    standard_set = models.ForeignKey(StandardSet, on_delete=models.PROTECT, related_name="audits")
    status = models.CharField(
        max_length=16, choices=AuditStatus.choices, default=AuditStatus.REQUESTED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_as = models.CharField(max_length=16, choices=Requester.choices)
    request_note = models.TextField(blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        help_text="The earlier audit this one re-audits or renews.",
    )

    visit_date = models.DateField(null=True, blank=True)
    visit_time = models.TimeField(
        null=True, blank=True, help_text="When the young auditors arrive at the setting."
    )
    supporting_adult = models.CharField(max_length=120, blank=True)

    decided_on = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    advice = models.TextField(blank=True, help_text="Advice for the setting, in plain English.")
    improvement_actions = models.TextField(blank=True)
    training_offered = models.BooleanField(default=False)
    reaudit_due_on = models.DateField(null=True, blank=True)
    awarded_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True, db_index=True)
    public_summary = models.TextField(
        blank=True, help_text="What young people said, in a few sentences, for the public page."
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Kitemark audit of {self.listing.title} ({self.get_status_display()})"

    @property
    def is_current_award(self) -> bool:
        return (
            self.status in CURRENT_AWARD
            and self.expires_on is not None
            and self.expires_on >= today()
        )

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED

    @property
    def visit_address(self) -> str:
        """Where the young auditors go: the setting's full address (not only the town the
        public sees), for their visit emails and their visits page."""
        listing = self.listing
        parts = [listing.address_line_1, listing.address_line_2, listing.town, listing.postcode]
        return ", ".join(part for part in parts if part)


class AuditEvent(AppendOnly):
    """Append-only: every change of an audit's status, who made it, when, and why."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the product made the change (a date passed).",
    )
    from_status = models.CharField(max_length=16, choices=AuditStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=AuditStatus.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or 'new'} -> {self.to_status}"


FORMER_AUDITOR = "A former panel member"


class Assignment(models.Model):
    """One auditor on one audit: their own review, which nobody else on the panel opens.

    When a young auditor's data is erased (`kitemark.privacy`) the review stays, with its
    ratings, so the audit's outcome (the kitemark awarded, or not yet) still stands; `auditor`
    is then empty and the review reads as "A former panel member"."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="assignments")
    auditor = models.ForeignKey(
        AuditorProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["audit", "auditor__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "auditor"], name="one_assignment_each")
        ]

    def __str__(self):
        return f"{self.auditor_name}'s review of {self.audit.listing.title}"

    @property
    def auditor_name(self) -> str:
        return self.auditor.first_name if self.auditor_id else FORMER_AUDITOR

    @property
    def companions(self) -> list[str]:
        """The first names of the other young auditors on the same visit."""
        others = (
            self.audit.assignments.exclude(pk=self.pk)
            .filter(auditor__isnull=False)
            .order_by("auditor__first_name")
        )
        return [other.auditor.first_name for other in others.select_related("auditor")]


def photo_path(instance, filename: str) -> str:
    """A name nobody can guess, that says nothing about the setting or the auditor. The
    extension is the stored file's own (`photos.stored_photo` decides it from the content)."""
    extension = os.path.splitext(filename)[1].lower()
    return f"kitemark/photos/{uuid.uuid4().hex}{extension if extension in ('.jpg', '.png') else ''}"


class Answer(models.Model):
    """One auditor's answer to one standard, saved on its own so a poor connection loses
    nothing. Photos are never public: only the auditor and the coordinator see them."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=8, choices=Rating.choices)
    comment = models.TextField(blank=True)
    photo = models.ImageField(upload_to=photo_path, blank=True)
    photo_people_confirmed = models.BooleanField(
        default=False,
        help_text="The auditor confirmed the photo shows no people, or everyone in it agreed.",
    )
    quote_published = models.BooleanField(
        default=False, help_text="The coordinator chose this comment for the public page."
    )
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["standard__number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "standard"], name="one_answer_each"),
            models.CheckConstraint(
                condition=models.Q(photo="") | models.Q(photo_people_confirmed=True),
                name="photo_needs_people_confirmation",
            ),
        ]

    def __str__(self):
        return f"{self.standard.number}: {self.get_rating_display()}"

    @property
    def symbol(self) -> str:
        return RATING_SYMBOLS.get(self.rating, "")

    @property
    def easy_rating(self) -> str:
        """The answer in the words the young auditor chose it by ("Yes", "A bit", "No")."""
        return RATING_EASY.get(self.rating, "")

    @property
    def picture(self) -> str:
        """The static path of the answer's picture, shown beside `easy_rating`."""
        return RATING_PICTURES[self.rating][0] if self.rating in RATING_PICTURES else ""
