"""Imports: what council staff brought in, from where, and which listing each source row became.

A run is checked first (the dry run), shown to the person who started it, and only applied when
they say so. Records are keyed by the source's own ids, so importing the same source again
updates the listings it made rather than adding copies.
"""

from django.conf import settings
from django.db import models


class ImportRun(models.Model):
    class Format(models.TextChoices):
        CSV = "csv", "Spreadsheet (CSV)"
        XLSX = "xlsx", "Spreadsheet (Excel)"
        ORUK = "oruk", "Open Referral UK feed"

    class State(models.TextChoices):
        CHECKED = "checked", "Checked, not yet imported"
        QUEUED = "queued", "Waiting to import"
        APPLYING = "applying", "Importing"
        APPLIED = "applied", "Imported"
        FAILED = "failed", "Could not be imported"
        CANCELLED = "cancelled", "Not imported"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(
        "Source name",
        max_length=200,
        help_text="Records are matched by their ids within this source: import the same "
        "source again to update what it made.",
    )
    origin = models.CharField(max_length=500, help_text="The file's name or the feed's address")
    format = models.CharField(max_length=8, choices=Format.choices)
    content = models.BinaryField(help_text="The file as uploaded or read from the feed")
    mapping = models.JSONField(default=dict, blank=True)  # {"column index": "field key"}
    headers = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.CHECKED)
    publish = models.BooleanField(
        default=False, help_text="Publish at once, rather than send each listing to moderation"
    )
    # What the dry run found: counts by outcome, and one line a row (see importer.plan).
    preview = models.JSONField(default=dict, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Import from {self.origin} ({self.get_state_display().lower()})"

    @property
    def percent_done(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class ImportedRecord(models.Model):
    """A source's id for a listing or an organisation this product made or updated from it."""

    class Kind(models.TextChoices):
        LISTING = "listing", "Listing"
        ORGANISATION = "organisation", "Organisation"

    source = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    external_id = models.CharField(max_length=200)
    listing = models.ForeignKey(
        "directory.ListingPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The row as last imported, so an unchanged row is seen as unchanged.
    fingerprint = models.CharField(max_length=64, blank=True)
    run = models.ForeignKey(ImportRun, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "external_id"], name="one_record_per_source_id"
            )
        ]

    def __str__(self):
        return f"{self.source}: {self.kind} {self.external_id}"
