"""The three kinds of listing a provider creates, each with its own fields and editor."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from wagtail.admin.panels import (
    FieldPanel,
)

from ..choices import (
    Gender,
    ListingKind,
    PAEmployment,
)
from .listings import ListingPage
from .organisations import StaffMember


class ShortBreakServicePage(ListingPage):
    min_booking_hours = models.DecimalField(
        "Shortest booking (hours)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    listing_kind = ListingKind.SHORT_BREAK
    kind_panels = [FieldPanel("min_booking_hours")]
    parent_page_types = ["directory.ProviderPage"]
    subpage_types: list[str] = []
    template = "directory/listing_page.html"

    class Meta:
        verbose_name = "short break service"


class PersonalAssistantPage(ListingPage):
    employment = models.CharField(
        max_length=16, choices=PAEmployment.choices, default=PAEmployment.SELF_EMPLOYED
    )
    agency_name = models.CharField(max_length=120, blank=True)
    gender = models.CharField(max_length=8, choices=Gender.choices, blank=True)
    hours_available_per_week = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(80)]
    )
    staff_member = models.ForeignKey(
        StaffMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The personal assistant: their DBS check is the one shown on this listing.",
    )
    listing_kind = ListingKind.PERSONAL_ASSISTANT
    kind_panels = [
        FieldPanel("employment"),
        FieldPanel("agency_name"),
        FieldPanel("gender"),
        FieldPanel("hours_available_per_week"),
    ]
    parent_page_types = ["directory.ProviderPage"]
    subpage_types: list[str] = []
    template = "directory/listing_page.html"

    class Meta:
        verbose_name = "personal assistant"

    def clean(self):
        if self.employment == PAEmployment.AGENCY and not self.agency_name:
            raise ValidationError({"agency_name": "Enter the name of the agency"})
        super().clean()


class InclusiveClubPage(ListingPage):
    inclusion_support = models.TextField(
        help_text="What support you give so disabled children can join in, "
        "e.g. an extra 1:1 worker, a quiet space, adapted equipment."
    )
    extra_worker_available = models.BooleanField("An extra 1:1 worker is available", default=False)
    listing_kind = ListingKind.INCLUSIVE_CLUB
    kind_panels = [
        FieldPanel("inclusion_support"),
        FieldPanel("extra_worker_available"),
    ]
    parent_page_types = ["directory.ProviderPage"]
    subpage_types: list[str] = []
    template = "directory/listing_page.html"

    class Meta:
        verbose_name = "inclusive club"


LISTING_MODELS = {
    ListingKind.SHORT_BREAK: ShortBreakServicePage,
    ListingKind.PERSONAL_ASSISTANT: PersonalAssistantPage,
    ListingKind.INCLUSIVE_CLUB: InclusiveClubPage,
}

# Each kind's editor: the shared tabs with that kind's own fields on the first.
for _listing_model in LISTING_MODELS.values():
    _listing_model.edit_handler = _listing_model.build_edit_handler()
