from django.conf import settings
from django.db import models


class UnmetDemand(models.Model):
    """A search that found nothing, or too little: what commissioners need to know about gaps
    in the market. Anonymous by design: no postcode beyond its district, no exact age, no
    link to a person or session."""

    searched_on = models.DateField(db_index=True)
    outcode = models.CharField(max_length=4, db_index=True)  # "NE48"
    local_authority_code = models.CharField(max_length=9, db_index=True)
    rural = models.BooleanField()
    classified_by = models.CharField(max_length=40)
    mode = models.CharField(max_length=8)
    kinds = models.CharField(max_length=120, blank=True)
    service_type = models.CharField(max_length=80, blank=True)
    needs = models.CharField(max_length=400, blank=True)
    age_band = models.CharField(max_length=8, blank=True)
    days = models.CharField(max_length=60, blank=True)  # "sat,sun"
    results = models.PositiveSmallIntegerField()
    radius_miles = models.FloatField(null=True)
    # Where the gap was seen: a family's search, or a brokerage request nobody could meet
    # (with the broker's reasons, in categories, never free text about the family).
    source = models.CharField(
        max_length=12,
        choices=[("search", "Search"), ("brokerage", "Brokerage request")],
        default="search",
        db_index=True,
    )
    reasons = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-searched_on", "-id"]
        verbose_name_plural = "unmet demand"

    def __str__(self):
        return f"{self.outcode} {self.searched_on}: {self.results} result(s)"


class SavedListing(models.Model):
    """A listing on a signed-in family's shortlist. Goes when the family's account does."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_listings"
    )
    listing = models.ForeignKey("directory.ListingPage", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "listing"], name="listing_saved_once")
        ]

    def __str__(self):
        return f"Saved listing {self.listing_id}"
