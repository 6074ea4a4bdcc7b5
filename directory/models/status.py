"""A listing's safeguarding and freshness state, outside page revisions, and families' reports."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.dates import today
from core.models import AppendOnly

from .. import rules
from ..choices import (
    ConcernStatus,
    DBSLevel,
    DBSStatus,
    Freshness,
    ReportReason,
    ReportStatus,
)


class ListingStatus(models.Model):
    """Safeguarding and freshness state of a listing, outside page revisions.

    Kept up to date by `directory.services` whenever a DBS check, a confirmation or a publish
    changes it, and daily by `send_reminders` (dates pass without anyone acting).
    """

    listing = models.OneToOneField(
        "directory.ListingPage", primary_key=True, on_delete=models.CASCADE, related_name="status"
    )
    assured_date = models.DateField(default=today, db_index=True)
    dbs_status = models.CharField(
        max_length=16, choices=DBSStatus.choices, default=DBSStatus.NONE, db_index=True
    )
    dbs_level = models.CharField(max_length=32, choices=DBSLevel.choices, blank=True)
    dbs_verified_on = models.DateField(null=True, blank=True)
    dbs_next_due = models.DateField(null=True, blank=True)
    dbs_lapsed_on = models.DateField(null=True, blank=True, db_index=True)
    # Kept by the kitemark app when the young people's panel awards, renews, lets expire or
    # withdraws a kitemark, so search filters and ranks on it without a join.
    kitemark_awarded_on = models.DateField(null=True, blank=True)
    kitemark_expires_on = models.DateField(null=True, blank=True, db_index=True)
    # The provider withdrew the service, without moderation (`listing_withdraw`): closed
    # (out of the directory until reopened) or paused until a day (still shown, "Not taking
    # bookings until ..."; bookable again from that day on its own).
    closed_on = models.DateField(null=True, blank=True, db_index=True)
    paused_until = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "listing statuses"

    def __str__(self):
        return f"Status of listing {self.listing_id}"

    # The directory's visibility rule (directory/rules.py), for this listing.

    def freshness(self, on: datetime.date | None = None) -> Freshness:
        return rules.freshness(self.assured_date, rules.Cutoffs.on(on or today()))

    def dbs_hidden(self, on: datetime.date | None = None) -> bool:
        return rules.dbs_hidden(self.dbs_lapsed_on, rules.Cutoffs.on(on or today()))

    def in_directory(self, on: datetime.date | None = None) -> bool:
        cutoffs = rules.Cutoffs.on(on or today())
        return rules.in_directory(
            self.assured_date, self.dbs_lapsed_on, cutoffs, closed=self.closed_on is not None
        )

    def paused(self, on: datetime.date | None = None) -> bool:
        """Not taking bookings yet: paused until a day still to come."""
        return rules.paused(self.paused_until, rules.Cutoffs.on(on or today()))

    def kitemarked(self, on: datetime.date | None = None) -> bool:
        return rules.kitemarked(self.kitemark_expires_on, rules.Cutoffs.on(on or today()))


class ListingReport(models.Model):
    """A family or member of the public reporting a problem with a listing.

    An ordinary report (a wrong phone number) is open until council staff say what they did
    about it. A report about a child's safety (`safeguarding`) is a safeguarding concern: it
    has its own steps (docs/workflows/safeguarding-concerns.md), and what the person reported
    can never be changed or deleted afterwards; only its status moves, each move leaving a
    `ReportEvent`. It outlives the listing: the listing's title is kept with it."""

    listing = models.ForeignKey(
        "directory.ListingPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    listing_title = models.CharField(max_length=255, blank=True)
    safeguarding = models.BooleanField("about a child's safety", default=False, db_index=True)
    reason = models.CharField(max_length=32, choices=ReportReason.choices)
    details = models.TextField(max_length=2000)
    reply_email = models.EmailField(blank=True)
    status = models.CharField(
        max_length=20,
        choices=ReportStatus.choices + ConcernStatus.choices,
        default=ReportStatus.OPEN,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # What a person reported about a child's safety, fixed once it is received.
    FIXED = ("safeguarding", "reason", "details", "reply_email", "listing_title", "created_at")

    class Meta:
        ordering = ["-safeguarding", "-created_at"]

    def __str__(self):
        kind = "Safeguarding concern" if self.safeguarding else "Report"
        return f"{kind} about {self.listing_title or 'a listing'}"

    def save(self, *args, **kwargs):
        if self.pk is None and self.listing_id and not self.listing_title:
            self.listing_title = self.listing.title
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values(*self.FIXED).first()
            if stored and stored["safeguarding"]:
                changed = [f for f in self.FIXED if getattr(self, f) != stored[f]]
                if changed:
                    raise ValueError("A safeguarding concern cannot be changed once received")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.safeguarding:
            raise ValueError("A safeguarding concern cannot be deleted")
        return super().delete(*args, **kwargs)


class ReportEvent(AppendOnly):
    """A report's history, one row per step: who, when, from which status to which, and
    their note. A note added without a move has the same status before and after."""

    report = models.ForeignKey(ListingReport, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.report} {self.from_status} -> {self.to_status}"
