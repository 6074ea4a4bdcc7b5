"""Providers (organisations, childminders, self-employed PAs), their people, and their
applications to list."""

import datetime
import re
import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
)

from core.dates import today
from core.fields import WebAddressField

from ..choices import (
    ApplicationStatus,
    CouncilRelationship,
    OrganisationKind,
)

# --- Organisations and their people ----------------------------------------------------------


def person_public_name(full_name: str) -> str:
    """The first name and the surname's initial, anything in brackets left out: "Amy Nixon"
    is "Amy N.". A single name stays as it is."""
    words = [w for w in re.sub(r"\([^)]*\)", " ", full_name).split() if w[:1].isalpha()]
    if len(words) < 2:
        return full_name.strip()
    return f"{words[0]} {words[-1][:1].upper()}."


class Organisation(models.Model):
    """A provider: an organisation, a childminder, or a self-employed personal assistant.

    Each has one Wagtail group (its editors) and one `ProviderPage` under which its listings
    live; the group may add and edit pages there but never publish them.
    """

    # The organisation's id in the open data (Open Referral UK): stable, never the database id.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    ofsted_urn = models.CharField(
        "Ofsted URN",
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(r"^(EY|SC)?\d{6,8}$", "Enter an Ofsted URN, like 123456 or EY123456")
        ],
    )
    cqc_location_id = models.CharField(
        "CQC location ID",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^1-\d{6,11}$", "Enter a CQC location ID, like 1-123456789")],
    )
    charity_number = models.CharField(
        "Registered charity number",
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{6,8}$", "Enter a charity number, like 1234567")],
    )
    company_number = models.CharField(
        "Company number",
        max_length=8,
        blank=True,
        validators=[
            RegexValidator(
                r"^([A-Z]{2}\d{6}|\d{8})$", "Enter a company number, like 01234567 or SC123456"
            )
        ],
    )
    insurer = models.CharField("Public liability insurer", max_length=120, blank=True)
    insurance_expiry = models.DateField("Insurance expires on", null=True, blank=True)
    council_relationship = models.CharField(
        max_length=32,
        choices=CouncilRelationship.choices,
        default=CouncilRelationship.NOT_CONTRACTED,
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    website = WebAddressField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    editors = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
        help_text="The people in this group may edit this organisation's listings.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldRowPanel(
            [FieldPanel("ofsted_urn"), FieldPanel("cqc_location_id")], heading="Registration"
        ),
        FieldRowPanel(
            [FieldPanel("charity_number"), FieldPanel("company_number")],
            heading="Charity and company",
        ),
        FieldRowPanel(
            [FieldPanel("insurer"), FieldPanel("insurance_expiry")],
            heading="Public liability insurance",
        ),
        FieldPanel("council_relationship"),
        MultiFieldPanel(
            [
                FieldPanel("email"),
                FieldPanel("phone"),
                FieldPanel("website"),
                FieldPanel("postcode"),
            ],
            heading="Contact",
        ),
    ]

    class Meta:
        ordering = ["name"]

    @property
    def public_name(self) -> str:
        """The name the public sees. A self-employed personal assistant is a person: the
        public sees their first name and the initial of their surname ("Amy N."), in page
        titles, captions and web addresses alike; the full name stays with council staff."""
        if self.kind != OrganisationKind.SELF_EMPLOYED_PA:
            return self.name
        return person_public_name(self.name)

    def __str__(self):
        return self.name

    @property
    def editor_names(self) -> str:
        """The people who may edit this organisation's listings (its editors' group)."""
        if self.editors_id is None:
            return "Nobody yet"
        users = self.editors.user_set.order_by("first_name", "last_name")
        return ", ".join(u.get_full_name() or u.username for u in users) or "Nobody yet"

    def insurance_current(self, on: datetime.date | None = None) -> bool:
        return bool(self.insurance_expiry and self.insurance_expiry >= (on or today()))


class StaffMember(models.Model):
    """A named person whose DBS check the council verifies: a PA, or a provider's staff."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="staff")
    full_name = models.CharField(max_length=120)
    role = models.CharField(max_length=120, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_records",
        help_text="The person's own account, if they have one.",
    )
    works_with_children = models.BooleanField(
        default=True, help_text="Works with children, so their check counts for the badge."
    )

    class Meta:
        ordering = ["organisation", "full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.organisation})"


class ProviderApplication(models.Model):
    """A new organisation or PA asking to list with the council. Nobody gets admin access
    until council staff admit the application."""

    organisation_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    contact_name = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)
    postcode = models.CharField(max_length=8)
    what_you_offer = models.TextField(max_length=2000)
    ofsted_urn = models.CharField(max_length=10, blank=True)
    cqc_location_id = models.CharField(max_length=20, blank=True)
    charity_number = models.CharField("Registered charity number", max_length=8, blank=True)
    company_number = models.CharField("Company number", max_length=8, blank=True)
    status = models.CharField(
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.AWAITING_EMAIL,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(blank=True)
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organisation_name} ({self.get_status_display()})"
