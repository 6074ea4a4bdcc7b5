"""Providers, their listings, and the safeguarding and freshness data around them.

Listings are Wagtail pages (the public URL, the moderated content and its revisions).
Safeguarding checks and the listing's status (DBS badge, assured date) are plain models: they
are never part of a page revision, so a moderated publish can never roll them back.
"""

import datetime
import uuid

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from core.dates import add_months, today
from gazetteer.lookup import PostcodeError, lookup, outcode_of

from . import rules
from .badges import dbs_badge, freshness_badge
from .choices import (
    DBS_SEVERITY,
    ApplicationStatus,
    CapacityUnit,
    CostUnit,
    CouncilRelationship,
    DBSLevel,
    DBSReview,
    DBSStatus,
    Freshness,
    Gender,
    ListingKind,
    OrganisationKind,
    PAEmployment,
    ReportReason,
)
from .panels import ListingStatusPanel  # noqa: E402

MAX_AGE = 25
RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]


# --- Taxonomies: editable by council staff, seeded with defaults by migration ----------------


class Taxonomy(models.Model):
    # The term's id in the open data (Open Referral UK): stable, never the database id.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(
        max_length=255, blank=True, help_text="A short plain-English explanation for families."
    )
    sort_order = models.PositiveSmallIntegerField(default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:80]
        super().save(*args, **kwargs)


class ServiceType(Taxonomy):
    kind = models.CharField(
        max_length=32,
        choices=ListingKind.choices,
        blank=True,
        help_text="The kind of listing this type belongs to; blank for any kind.",
    )
    panels = Taxonomy.panels + [FieldPanel("kind")]

    class Meta(Taxonomy.Meta):
        verbose_name = "service type"


class Need(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "need supported"
        verbose_name_plural = "needs supported"


class Skill(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "skill"


class AccessFeature(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "access or sensory feature"


class Language(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "language"


class FundingRoute(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "way of paying"
        verbose_name_plural = "ways of paying"


class Weekday(models.Model):
    """The seven days, fixed (ISO numbering: 1 is Monday)."""

    id = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=9, unique=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


# --- Organisations and their people ----------------------------------------------------------


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
    insurer = models.CharField("Public liability insurer", max_length=120, blank=True)
    insurance_expiry = models.DateField("Insurance expires on", null=True, blank=True)
    council_relationship = models.CharField(
        max_length=32,
        choices=CouncilRelationship.choices,
        default=CouncilRelationship.NOT_CONTRACTED,
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    website = models.URLField(blank=True)
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


class DBSCheck(models.Model):
    """A DBS (formerly CRB) check for one person. Never part of a page or its revisions.

    The certificate number is seen only by verifying council staff and the person themself.
    A check is current until its next due date; on that date it lapses.
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

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    def status(self, on: datetime.date | None = None) -> DBSStatus:
        on = on or today()
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


# --- Pages -----------------------------------------------------------------------------------


class DirectoryIndexPage(Page):
    """The public directory: browse by kind and type. Listings live below provider pages."""

    intro = models.CharField(
        max_length=300,
        default="Short breaks, personal assistants and inclusive clubs checked by the council.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["directory.ProviderPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .views import browse_context

        context = super().get_context(request, *args, **kwargs)
        context.update(browse_context(request, self))
        return context


class ProviderPage(Page):
    """A provider's public page; its listings are its children. One per organisation."""

    organisation = models.OneToOneField(
        Organisation, null=True, on_delete=models.PROTECT, related_name="provider_page"
    )
    about = models.TextField(blank=True, help_text="About the organisation, in plain English.")

    content_panels = Page.content_panels + [FieldPanel("about")]
    parent_page_types = ["directory.DirectoryIndexPage"]
    subpage_types = [
        "directory.ShortBreakServicePage",
        "directory.PersonalAssistantPage",
        "directory.InclusiveClubPage",
    ]

    def get_context(self, request, *args, **kwargs):
        from .selectors import public_listings

        context = super().get_context(request, *args, **kwargs)
        context["listings"] = public_listings().child_of(self).with_card_data()
        return context


def visibility_q(on: datetime.date | None = None, prefix: str = "status__") -> models.Q:
    """Listings the public may see: confirmed within the expiry period and not past the DBS
    grace period (`rules.in_directory`, as a query)."""
    cutoffs = rules.Cutoffs.on(on or today())
    return models.Q(**{f"{prefix}assured_date__gt": cutoffs.expired_on_or_before}) & (
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
    # Places or hours a week agreed through brokerage, in all (brokerage.services.capacity_take
    # adds each agreement's when it is confirmed, as it lowers `capacity_now`). Every revision
    # carries the figure as it was when written, so a revision written before an agreement is
    # known to be behind, and has the difference taken off its capacity when it is edited,
    # compared or published (`with_content_json`, `save`).
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
    contact_website = models.URLField(blank=True)

    objects = PageManager.from_queryset(ListingPageQuerySet)()
    is_creatable = False
    parent_page_types = ["directory.ProviderPage"]
    subpage_types: list[str] = []
    listing_kind = None  # set by each kind
    template = "directory/listing_page.html"
    exclude_fields_in_copy = ["uuid"]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.FilterField("kind"),
    ]

    about_panels = [
        FieldPanel("title", heading="Name of the service"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("service_types", widget=forms.CheckboxSelectMultiple),
    ]
    who_panels = [
        FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")], heading="Ages"),
        FieldPanel("needs", widget=forms.CheckboxSelectMultiple),
        FieldPanel("skills", widget=forms.CheckboxSelectMultiple),
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
                FieldPanel("served_local_authorities", widget=forms.CheckboxSelectMultiple),
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
            ObjectList(Page.promote_panels, heading="Promote"),
        ]
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
        try:
            place = lookup(self.postcode)
        except PostcodeError as error:
            errors["postcode"] = str(error)
        else:
            self.postcode = place.postcode
            self.latitude, self.longitude = place.latitude, place.longitude
            self.postcode_district = outcode_of(place.postcode)
            self.local_authority_code = place.local_authority_code
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.kind = self.listing_kind or self.kind
        with transaction.atomic():
            stored = None
            if self.pk:
                # Locked, as `capacity_take` locks it: an agreement confirmed while this copy
                # was being edited or approved either lands first and is caught up with here,
                # or waits and lowers what this saves.
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
                if isinstance(provider, ProviderPage):
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
    def ages_display(self) -> str:
        return f"{self.age_min} to {self.age_max} years"


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


class ListingStatus(models.Model):
    """Safeguarding and freshness state of a listing, outside page revisions.

    Kept up to date by `directory.services` whenever a DBS check, a confirmation or a publish
    changes it, and daily by `send_reminders` (dates pass without anyone acting).
    """

    listing = models.OneToOneField(
        ListingPage, primary_key=True, on_delete=models.CASCADE, related_name="status"
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


def worst_status(statuses) -> DBSStatus:
    statuses = list(statuses)
    if not statuses:
        return DBSStatus.NONE
    return min(statuses, key=DBS_SEVERITY.index)


class ListingReport(models.Model):
    """A family or member of the public reporting a problem with a listing."""

    listing = models.ForeignKey(ListingPage, on_delete=models.CASCADE, related_name="reports")
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
