"""A listing's safeguarding and freshness state, outside page revisions, and families' reports."""

import datetime

from django.conf import settings
from django.db import models

from core.dates import today

from .. import rules
from ..choices import (
    DBSLevel,
    DBSStatus,
    Freshness,
    ReportReason,
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
        return rules.in_directory(self.assured_date, self.dbs_lapsed_on, cutoffs)

    def kitemarked(self, on: datetime.date | None = None) -> bool:
        return rules.kitemarked(self.kitemark_expires_on, rules.Cutoffs.on(on or today()))


class ListingReport(models.Model):
    """A family or member of the public reporting a problem with a listing."""

    listing = models.ForeignKey(
        "directory.ListingPage", on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=32, choices=ReportReason.choices)
    details = models.TextField(max_length=2000)
    reply_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Report on {self.listing.title}"
