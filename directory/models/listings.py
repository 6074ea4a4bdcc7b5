"""Listings: Wagtail pages of three kinds sharing one concrete base (docs/decisions/0001)."""

import datetime
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Count
from django.http import Http404
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.dates import today
from core.fields import WebAddressField
from gazetteer.lookup import (
    OUTCODE_RE,
    PostcodeError,
    district_centre,
    district_place,
    lookup,
    outcode_of,
)

from .. import rules
from ..badges import dbs_badge, freshness_badge
from ..choices import (
    CAPACITY_SINGULAR,
    KIND_PLURALS,
    CapacityUnit,
    CostUnit,
    Eligibility,
    ListingKind,
)
from ..listing_form import ListingForm
from ..panels import ListingStatusPanel
from .organisations import Organisation
from .status import ListingStatus
from .taxonomy import AccessFeature, FundingRoute, Language, Need, ServiceType, Skill, Weekday

MAX_AGE = 25
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


def visibility_q(on: datetime.date | None = None, prefix: str = "status__") -> models.Q:
    """Listings the public may see: not closed, confirmed within the expiry period and not
    past the DBS grace period (`rules.in_directory`, as a query)."""
    cutoffs = rules.Cutoffs.on(on or today())
    return models.Q(
        **{
            f"{prefix}assured_date__gt": cutoffs.expired_on_or_before,
            f"{prefix}closed_on__isnull": True,
        }
    ) & (
        models.Q(**{f"{prefix}dbs_lapsed_on__isnull": True})
        | models.Q(**{f"{prefix}dbs_lapsed_on__gt": cutoffs.dbs_hidden_lapsed_on_or_before})
    )


class ListingPageQuerySet(PageQuerySet):
    def in_directory(self, on: datetime.date | None = None):
        """Live, public, current listings: what a family may find.

        Wagtail's `public()` reads the view restrictions joined to their pages, which some
        planners answer by reading every page; the directory rarely has any restriction, so
        look for one first, by its own table alone."""
        qs = self.live().filter(visibility_q(on))
        if PageViewRestriction.objects.exists():
            qs = qs.public()
        return qs

    def kind_counts(self) -> dict[str, int]:
        """How many of these listings there are of each kind (every kind, zero included)."""
        rows = self.values("kind").annotate(n=Count("pk")).order_by()
        counts = {row["kind"]: row["n"] for row in rows}
        return {kind: counts.get(kind, 0) for kind in ListingKind.values}

    def with_card_data(self):
        return self.select_related("status", "organisation").prefetch_related("service_types")


class ListingPage(Page):
    """What every listing has. Not creatable itself: providers create one of the three kinds.

    A concrete (multi-table) base rather than an abstract one, so that browsing, search and
    matching query every kind in one indexed query (docs/decisions/0001).
    """

    kind = models.CharField(max_length=32, choices=ListingKind.choices, editable=False)
    # The listing's id in the open data (Open Referral UK's service id): stable for the
    # listing's life, never the database id. A copy of the page gets its own.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, editable=False, on_delete=models.PROTECT, related_name="listings"
    )
    summary = models.CharField(
        max_length=300, help_text="One or two sentences in plain English: what you offer."
    )
    description = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    service_types = ParentalManyToManyField(ServiceType, blank=True, related_name="listings")
    age_min = models.PositiveSmallIntegerField(
        "Youngest age", default=0, validators=[MaxValueValidator(MAX_AGE)]
    )
    age_max = models.PositiveSmallIntegerField(
        "Oldest age", default=18, validators=[MaxValueValidator(MAX_AGE)]
    )
    needs = ParentalManyToManyField(Need, blank=True, related_name="listings")
    eligibility = models.CharField(
        "Who can use it",
        max_length=16,
        choices=Eligibility.choices,
        default=Eligibility.OPEN,
        help_text="How a family gets this service.",
    )
    skills = ParentalManyToManyField(Skill, blank=True, related_name="listings")

    at_venue = models.BooleanField("Families come to a venue", default=True)
    comes_to_family = models.BooleanField("Comes to the family's home or area", default=False)
    online = models.BooleanField("Online", default=False)
    address_line_1 = models.CharField(max_length=120, blank=True)
    address_line_2 = models.CharField(max_length=120, blank=True)
    town = models.CharField(max_length=60, blank=True)
    postcode = models.CharField(
        max_length=8,
        help_text="The venue's postcode; for a personal assistant, your home base "
        "(only the first half, e.g. NE46, is ever shown).",
    )
    # Indexed together (Meta.indexes), not one by one: a database given a latitude index and
    # a longitude index may pick the longitude one and read a strip the length of England.
    latitude = models.FloatField(null=True, editable=False)
    longitude = models.FloatField(null=True, editable=False)
    postcode_district = models.CharField(max_length=4, blank=True, editable=False)
    local_authority_code = models.CharField(max_length=9, blank=True, editable=False)
    travel_radius_miles = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        db_index=True,  # search reads the longest radius anyone travels, to bound its boxes
        validators=[MaxValueValidator(100)],
        help_text="How far you travel to families, in miles.",
    )
    served_local_authorities = ParentalManyToManyField(
        "gazetteer.LocalAuthority",
        blank=True,
        related_name="served_by",
        help_text="Council areas you cover, whatever the distance.",
    )

    days = ParentalManyToManyField(Weekday, blank=True, related_name="+")
    time_from = models.TimeField(null=True, blank=True)
    time_to = models.TimeField(null=True, blank=True)
    term_time = models.BooleanField("Available in term time", default=True)
    school_holidays = models.BooleanField("Available in school holidays", default=True)
    overnight = models.BooleanField("Overnight stays", default=False)

    cost_amount = models.DecimalField(
        "Cost (£)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    cost_unit = models.CharField(max_length=16, choices=CostUnit.choices, default=CostUnit.HOUR)
    cost_notes = models.CharField(max_length=200, blank=True)
    funding_accepted = ParentalManyToManyField(
        FundingRoute, blank=True, related_name="listings", verbose_name="ways of paying accepted"
    )

    capacity_now = models.PositiveIntegerField(
        "Capacity now",
        null=True,
        blank=True,
        help_text="Places or hours a week you can offer now; 0 if you are full.",
    )
    capacity_unit = models.CharField(
        max_length=16, choices=CapacityUnit.choices, default=CapacityUnit.PLACES
    )
    capacity_stated_on = models.DateField(null=True, blank=True, editable=False)
    # Places or hours a week agreed through brokerage, in all (`listing_capacity_take` in
    # directory/capacity.py adds each agreement's when it is confirmed, as it lowers
    # `capacity_now`). Every revision carries the figure as it was when written, so a
    # revision written before an agreement is known to be behind, and has the difference
    # taken off its capacity when it is edited, compared or published (`with_content_json`,
    # `save`).
    capacity_agreed_total = models.PositiveIntegerField(default=0, editable=False)

    languages = ParentalManyToManyField(Language, blank=True, related_name="listings")
    cultural_notes = models.TextField(
        "Culture and faith",
        blank=True,
        help_text="E.g. halal food, female staff available, a prayer space.",
    )
    access_features = ParentalManyToManyField(AccessFeature, blank=True, related_name="listings")
    access_notes = models.TextField(blank=True)

    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_website = WebAddressField(blank=True)

    objects = PageManager.from_queryset(ListingPageQuerySet)()
    is_creatable = False
    parent_page_types = ["directory.ProviderPage"]
    subpage_types: list[str] = []
    listing_kind = None  # set by each kind
    template = "directory/listing_page.html"
    exclude_fields_in_copy = ["uuid"]
    base_form_class = ListingForm

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("kind"),
    ]

    about_panels = [
        TitleFieldPanel("title", heading="Name of the service"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("service_types", widget=forms.CheckboxSelectMultiple),
    ]
    who_panels = [
        FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")], heading="Ages"),
        FieldPanel("needs", widget=forms.CheckboxSelectMultiple),
        FieldPanel("skills", widget=forms.CheckboxSelectMultiple),
        FieldPanel("eligibility", widget=forms.RadioSelect),
    ]
    where_panels = [
        MultiFieldPanel(
            [FieldPanel("at_venue"), FieldPanel("comes_to_family"), FieldPanel("online")],
            heading="How it is delivered",
        ),
        MultiFieldPanel(
            [
                FieldPanel("address_line_1"),
                FieldPanel("address_line_2"),
                FieldPanel("town"),
                FieldPanel("postcode"),
            ],
            heading="Address",
        ),
        MultiFieldPanel(
            [
                FieldPanel("travel_radius_miles"),
                FieldPanel("served_local_authorities"),  # councils by region (ListingForm)
            ],
            heading="Coverage",
        ),
    ]
    when_panels = [
        FieldPanel("days", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel([FieldPanel("time_from"), FieldPanel("time_to")], heading="Times"),
        FieldPanel("term_time"),
        FieldPanel("school_holidays"),
        FieldPanel("overnight"),
    ]
    cost_panels = [
        FieldRowPanel([FieldPanel("cost_amount"), FieldPanel("cost_unit")], heading="Cost"),
        FieldPanel("cost_notes"),
        FieldPanel("funding_accepted", widget=forms.CheckboxSelectMultiple),
        FieldRowPanel(
            [FieldPanel("capacity_now"), FieldPanel("capacity_unit")], heading="Capacity"
        ),
    ]
    access_panels = [
        FieldPanel("access_features", widget=forms.CheckboxSelectMultiple),
        FieldPanel("access_notes"),
        FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("cultural_notes"),
    ]
    contact_panels = [
        FieldPanel("contact_name"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("contact_website"),
    ]
    kind_panels: list = []

    @classmethod
    def build_edit_handler(cls):
        tabs = [
            ObjectList(
                [ListingStatusPanel(heading="Where this listing stands")]
                + cls.about_panels
                + cls.kind_panels,
                heading="About",
            ),
            ObjectList(cls.who_panels, heading="Who it is for"),
            ObjectList(cls.where_panels, heading="Where"),
            ObjectList(cls.when_panels, heading="When"),
            ObjectList(cls.cost_panels, heading="Costs and capacity"),
            ObjectList(cls.access_panels, heading="Access and culture"),
            ObjectList(cls.contact_panels, heading="Contact"),
        ]
        # No Promote tab: providers never see slugs or search-engine settings. A listing's
        # web address is made from its name when it is first saved (Wagtail's `full_clean`
        # adds -2, -3... to keep it unique among the provider's listings) and then kept.
        return TabbedInterface(tabs)

    class Meta:
        indexes = [
            # Search's bounding box is a range on latitude; longitude, how the listing is
            # delivered and how far its provider travels are checked in the index too, and
            # the listing's id is in it, so the positions are read from the index alone
            # (PostgreSQL's index-only scan; SQLite keeps the id in every index anyway).
            models.Index(
                fields=[
                    "latitude",
                    "longitude",
                    "comes_to_family",
                    "travel_radius_miles",
                    "at_venue",
                    "page_ptr",
                ],
                name="listing_position",
            ),
            # "Is any listing based in this council?", asked of each council by a search by
            # place name (search.places.home_centres) to find the councils the site serves.
            models.Index(fields=["local_authority_code"], name="listing_council"),
        ]

    # --- validation --------------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            errors["age_max"] = "The oldest age must be the same as or more than the youngest age"
        if not (self.at_venue or self.comes_to_family or self.online):
            errors["at_venue"] = "Choose at least one way the service is delivered"
        if self.comes_to_family and not self.travel_radius_miles:
            errors["travel_radius_miles"] = (
                "Enter how far you travel, in miles, if you come to families"
            )
        if self.time_from and self.time_to and self.time_from >= self.time_to:
            errors["time_to"] = "The end time must be after the start time"
        if self.cost_unit != CostUnit.FREE and self.cost_amount is None:
            errors["cost_amount"] = "Enter the cost, or choose Free"
        if self.cost_amount is not None and self.cost_amount < 0:
            errors["cost_amount"] = "The cost cannot be negative"
        private = rules.private_position(self.listing_kind or self.kind, self.at_venue)
        place = None
        try:
            place = lookup(self.postcode)
        except PostcodeError as error:
            message = str(error)
            # Someone who works from home may give only their district ("NE46"): it is all
            # that is ever shown, and their position is its centre either way.
            district = "".join((self.postcode or "").upper().split())
            if private and OUTCODE_RE.match(district):
                try:
                    place = district_place(district)
                except PostcodeError as district_error:
                    message = str(district_error)
            if place is None:
                errors["postcode"] = message
        if place is not None:
            self.postcode = place.postcode
            self.postcode_district = outcode_of(place.postcode)
            self.latitude, self.longitude = place.latitude, place.longitude
            if private:
                centre = district_centre(self.postcode_district)
                self.latitude, self.longitude = centre or (place.latitude, place.longitude)
            self.local_authority_code = place.local_authority_code
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.kind = self.listing_kind or self.kind
        with transaction.atomic():
            stored = None
            if self.pk:
                # Locked, as `listing_capacity_take` locks it: an agreement confirmed while
                # this copy was being edited or approved either lands first and is caught up
                # with here, or waits and lowers what this saves.
                stored = (
                    ListingPage.objects.select_for_update()
                    .filter(pk=self.pk)
                    .values("capacity_now", "capacity_unit", "capacity_agreed_total")
                    .first()
                )
            if stored:
                self.catch_up_with_agreements(
                    agreed_total=stored["capacity_agreed_total"], unit=stored["capacity_unit"]
                )
            if self.capacity_now is None:
                self.capacity_stated_on = None
            elif (
                self.capacity_stated_on is None
                or stored is None
                or stored["capacity_now"] != self.capacity_now
            ):
                # Capacity is dated when stated: a change (e.g. approved from a draft)
                # restamps it.
                self.capacity_stated_on = today()
            if self.organisation_id is None:
                parent = self.get_parent() if self.pk or self.path else None
                provider = parent.specific if parent else None
                if provider is not None and provider._meta.label_lower == "directory.providerpage":
                    self.organisation_id = provider.organisation_id
            return super().save(*args, **kwargs)

    def with_content_json(self, content):
        """A revision comes back with the places or hours agreed since it was written taken
        off its capacity: the provider edits from the capacity that is really left, the
        moderator compares against it, and approving a draft written before an agreement
        never gives that capacity back. `self` is the listing as it is now."""
        obj = super().with_content_json(content)
        # The open data id never changes with a revision (one written before ids existed
        # would otherwise come back with a new one).
        obj.uuid = self.uuid
        obj.catch_up_with_agreements(
            agreed_total=self.capacity_agreed_total, unit=self.capacity_unit
        )
        return obj

    def catch_up_with_agreements(self, *, agreed_total: int, unit: str) -> int:
        """Take off the places or hours agreed since this copy was written (`agreed_total` is
        the listing's figure now). Never below zero. A copy that states capacity in another
        unit (places, not hours) is a new statement that cannot be converted: it is left as
        it is. Returns how much was taken off."""
        behind = agreed_total - self.capacity_agreed_total
        if behind <= 0:
            return 0
        self.capacity_agreed_total = agreed_total
        if self.capacity_now is None or self.capacity_unit != unit:
            return 0
        lowered = min(behind, self.capacity_now)
        self.capacity_now -= lowered
        return lowered

    # --- what families see ---------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        status = ListingStatus.objects.filter(listing_id=self.pk).first()
        context.update(
            status=status,
            dbs_badge=dbs_badge(status),
            freshness_badge=freshness_badge(status),
            provider=self.organisation,
        )
        return context

    def serve(self, request, *args, **kwargs):
        """A listing out of the directory (stale past expiry, or DBS lapsed past the grace
        period) is not shown to the public, though it stays live for its provider to fix."""
        status = ListingStatus.objects.filter(listing_id=self.pk).first()
        if not getattr(request, "is_preview", False) and status and not status.in_directory():
            raise Http404("This listing is not currently in the directory")
        return super().serve(request, *args, **kwargs)

    @property
    def public_location(self) -> str:
        """Where the listing is, as precisely as it may be shown publicly."""
        if self.kind == ListingKind.PERSONAL_ASSISTANT:
            return f"Based in the {self.postcode_district} area"
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return ", ".join(p for p in parts if p)

    @property
    def shows_map(self) -> bool:
        return self.at_venue and self.kind != ListingKind.PERSONAL_ASSISTANT

    @property
    def cost_display(self) -> str:
        if self.cost_unit == CostUnit.FREE:
            return "Free"
        if self.cost_amount is None:
            return "Ask the provider"
        return f"£{self.cost_amount:,.2f} {self.get_cost_unit_display()}"

    @property
    def cost_notes_display(self) -> str:
        """The provider's notes on cost, unless they only repeat the cost ("Free", "Free")."""
        notes = (self.cost_notes or "").strip()
        return "" if notes.rstrip(".").lower() == self.cost_display.lower() else notes

    @property
    def kind_plural(self) -> str:
        return KIND_PLURALS.get(self.kind, self.get_kind_display())

    @property
    def space_now_display(self) -> str:
        """Space now, in words: "Full at the moment", "1 place", "10 hours a week"."""
        if self.capacity_now is None:
            return "Ask the provider"
        if self.capacity_now == 0:
            return "Full at the moment"
        if self.capacity_now == 1:
            return (
                f"1 {CAPACITY_SINGULAR.get(self.capacity_unit, self.get_capacity_unit_display())}"
            )
        return f"{self.capacity_now} {self.get_capacity_unit_display()}"

    @property
    def ages_display(self) -> str:
        return f"{self.age_min} to {self.age_max} years"
