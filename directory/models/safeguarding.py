"""DBS (formerly CRB) checks: plain models, never part of a page or its revisions."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from core.dates import add_months, today

from ..choices import (
    DBS_SEVERITY,
    DBSCheckMethod,
    DBSLevel,
    DBSReview,
    DBSStatus,
)
from .organisations import StaffMember


class DBSCheck(models.Model):
    """A DBS (formerly CRB) check for one person. Never part of a page or its revisions.

    The certificate number is seen only by verifying council staff and the person themself.
    A check is current until its next due date; on that date it lapses. Only a check the
    council verified counts as verified; a rejected check does not count at all.

    The DBS Update Service status check needs the person's date of birth. It is not kept:
    `date_of_birth_used` records only that the verifier used it (docs/workflows/dbs-checks.md).
    """

    person = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="dbs_checks")
    level = models.CharField(max_length=32, choices=DBSLevel.choices)
    certificate_number = models.CharField(
        max_length=12,
        validators=[RegexValidator(r"^\d{12}$", "A DBS certificate number is 12 digits")],
    )
    issue_date = models.DateField()
    update_service = models.BooleanField("Subscribed to the DBS Update Service", default=False)
    last_status_check = models.DateField("Last Update Service status check", null=True, blank=True)
    next_due_date = models.DateField(
        help_text="When the check must be renewed or its status checked again."
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    review = models.CharField(
        max_length=16, choices=DBSReview.choices, default=DBSReview.SUBMITTED, db_index=True
    )
    review_note = models.TextField(
        blank=True,
        max_length=1000,
        help_text="What the council asked the provider for, or why it rejected the check.",
    )
    answer = models.TextField(
        blank=True, max_length=1000, help_text="The provider's answer to the council's query."
    )
    method = models.CharField(
        "How the council checked it", max_length=16, choices=DBSCheckMethod.choices, blank=True
    )
    method_note = models.CharField("How it was checked", max_length=300, blank=True)
    date_of_birth_used = models.BooleanField(
        "Status check made with the person's date of birth (not kept)", default=False
    )

    class Meta:
        ordering = ["-issue_date", "-id"]
        verbose_name = "DBS check"

    def __str__(self):
        return f"{self.get_level_display()} for {self.person.full_name}"

    def clean(self):
        now = today()
        if self.issue_date and self.issue_date > now:
            raise ValidationError({"issue_date": "The issue date cannot be in the future"})
        if self.last_status_check and self.last_status_check > now:
            raise ValidationError(
                {"last_status_check": "The status check date cannot be in the future"}
            )
        if self.last_status_check and not self.update_service:
            raise ValidationError(
                {"last_status_check": "Only checks on the Update Service have status checks"}
            )

    @staticmethod
    def default_next_due(
        issue_date: datetime.date, update_service: bool, last_status_check=None
    ) -> datetime.date:
        if update_service:
            base = last_status_check or issue_date
            return add_months(base, settings.DBS_UPDATE_SERVICE_CHECK_MONTHS)
        return add_months(issue_date, settings.DBS_RECHECK_MONTHS)

    def next_due_by(self, method: str, status_check: datetime.date | None) -> datetime.date:
        """The next due date that follows from how the council checked it: a year after an
        Update Service status check, otherwise the renewal period after issue."""
        if method == DBSCheckMethod.UPDATE_SERVICE and status_check:
            return add_months(status_check, settings.DBS_UPDATE_SERVICE_CHECK_MONTHS)
        return add_months(self.issue_date, settings.DBS_RECHECK_MONTHS)

    @property
    def verified(self) -> bool:
        return self.review == DBSReview.VERIFIED and self.verified_at is not None

    @property
    def counts(self) -> bool:
        """Whether the check counts for the person's badge: a rejected one never does."""
        return self.review != DBSReview.REJECTED

    def status(self, on: datetime.date | None = None) -> DBSStatus:
        on = on or today()
        if not self.counts:
            return DBSStatus.NONE
        if on >= self.next_due_date:
            return DBSStatus.LAPSED
        if not self.verified:
            return DBSStatus.SELF_DECLARED
        if on >= self.next_due_date - datetime.timedelta(days=settings.DBS_REMINDER_DAYS):
            return DBSStatus.DUE_SOON
        return DBSStatus.VERIFIED

    @property
    def masked_certificate(self) -> str:
        return "••••••••" + self.certificate_number[-4:]


def worst_status(statuses) -> DBSStatus:
    statuses = list(statuses)
    if not statuses:
        return DBSStatus.NONE
    return min(statuses, key=DBS_SEVERITY.index)


def with_latest_check(people):
    """People annotated with their latest DBS check that counts (not rejected): its id, next
    due date, review and when it was verified (what the safeguarding list filters and the
    dashboard counts read), and their newest check of all (a rejected one, if newer)."""
    every = DBSCheck.objects.filter(person=OuterRef("pk")).order_by("-issue_date", "-pk")
    latest = every.exclude(review=DBSReview.REJECTED)
    return people.annotate(
        latest_check_id=Subquery(latest.values("pk")[:1]),
        latest_next_due=Subquery(latest.values("next_due_date")[:1]),
        latest_verified_at=Subquery(latest.values("verified_at")[:1]),
        latest_review=Subquery(latest.values("review")[:1]),
        newest_check_id=Subquery(every.values("pk")[:1]),
    )
