from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from core.fields import WebAddressField
from gazetteer.models import LocalAuthority


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


class LocalOffer(models.Model):
    """Where families in one council area find their council's Local Offer: the information
    about support for children and young people with special educational needs and
    disabilities (SEND) that every council with children's services must publish. Kept by
    council staff in the admin, and offered to a family this directory cannot help.

    The council that publishes it is the upper-tier one: a family in Cotswold (a district)
    is sent to Gloucestershire County Council's Local Offer. Without a row, or without an
    address, the family is sent to GOV.UK's "Find your local council"."""

    council_code = models.CharField(
        "Council area code",
        max_length=9,
        unique=True,
        help_text="The ONS code of the district or unitary council where the family lives, "
        "like E07000079 for Cotswold or E06000057 for Northumberland.",
    )
    publisher = models.CharField(
        "Council that publishes the Local Offer",
        max_length=100,
        help_text="For a district, its county council: Gloucestershire County Council for "
        "Cotswold.",
    )
    url = WebAddressField(
        "Web address of the Local Offer",
        blank=True,
        help_text="Leave empty if you do not know it: families are then sent to GOV.UK's "
        "Find your local council.",
    )

    class Meta:
        ordering = ["council_code"]
        verbose_name = "Local Offer address"
        verbose_name_plural = "Local Offer addresses"

    def __str__(self):
        return f"{self.council_code}: {self.publisher}"

    def clean(self):
        self.council_code = (self.council_code or "").strip().upper()
        if not LocalAuthority.objects.filter(code=self.council_code).exists():
            raise ValidationError(
                {
                    "council_code": "Enter the code of a council in England, like E07000079 "
                    "for Cotswold"
                }
            )
