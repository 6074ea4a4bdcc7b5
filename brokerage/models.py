"""A family's request for support, from the first question to a reviewed agreement.

Workflow records are plain models (not pages): the request and its append-only event log, the
candidates a broker considers, the offers sent to providers, the record of contact details
shared, the agreement and its reviews. Where a family lives is kept only as a postcode sector
("NE46 3") with the sector's centroid and council, never the full postcode.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from core.dates import add_working_days
from core.models import AppendOnly
from directory.models import (
    FundingRoute,
    Language,
    ListingPage,
    Need,
    Organisation,
    Skill,
    Weekday,
)

from .choices import (
    OPEN_STATUSES,
    DeclineReason,
    OfferStatus,
    Outcome,
    PAGender,
    Requester,
    ReviewFeeling,
    Role,
    Status,
)

MAX_CHILD_AGE = 25


# --- The family ---------------------------------------------------------------------------


class FamilyProfile(models.Model):
    """Tell it once: what a family told us last time, offered again for their next request."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_profile"
    )
    contact_name = models.CharField(max_length=120, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    # Who the account is for (a parent or carer, or a young person for themself), said when
    # the account was made: every request takes it from here and never asks again.
    requester = models.CharField(max_length=16, choices=Requester.choices, blank=True)
    answers = models.JSONField(default=dict, blank=True)  # the last request's answers
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.user}"


class SupportRequestQuerySet(models.QuerySet):
    def of_family(self, user):
        return self.filter(family=user)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class SupportRequest(models.Model):
    family = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_requests"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    requester = models.CharField(max_length=16, choices=Requester.choices, blank=True)

    # Who it is for
    child_first_name = models.CharField(max_length=60, blank=True)
    age = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_CHILD_AGE)]
    )
    needs = models.ManyToManyField(Need, blank=True, related_name="+")
    communication = models.TextField(max_length=1000, blank=True)
    care_and_health = models.TextField(max_length=1000, blank=True)
    skills = models.ManyToManyField(Skill, blank=True, related_name="+")
    behaviour_support = models.TextField(max_length=1000, blank=True)

    # What kind of support (SupportKind values)
    support_kinds = models.JSONField(default=list, blank=True)

    # When
    days = models.ManyToManyField(Weekday, blank=True, related_name="+")
    time_from = models.TimeField(null=True, blank=True)
    time_to = models.TimeField(null=True, blank=True)
    term_time = models.BooleanField(default=False)
    school_holidays = models.BooleanField(default=False)
    hours_per_week = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )

    # Where: the postcode sector only, its centroid and its council
    postcode_sector = models.CharField(max_length=6, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    local_authority_code = models.CharField(max_length=9, blank=True, db_index=True)
    rural = models.BooleanField(default=False)
    travel_miles = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    # Preferences
    pa_gender = models.CharField(max_length=8, choices=PAGender.choices, blank=True)
    language = models.ForeignKey(
        Language, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    culture_faith = models.CharField(max_length=300, blank=True)

    # Funding
    funding = models.ForeignKey(
        FundingRoute, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hourly_budget = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # "I don't know yet": many families do not know what they are entitled to. The broker
    # finds out with them; `funding` stays empty.
    funding_unknown = models.BooleanField(default=False)

    # Contact details, shared only with the provider the family chooses
    contact_name = models.CharField(max_length=120, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    consent_to_share = models.BooleanField(default=False)
    consent_at = models.DateTimeField(null=True, blank=True)

    # The broker's side
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="brokered_requests",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    unmatched_reasons = models.CharField(max_length=200, blank=True)  # UnmatchedReason codes

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "support request"

    def __str__(self):
        return f"Request {self.reference}"

    @property
    def reference(self) -> str:
        return f"R{self.pk:05d}" if self.pk else "R(new)"

    @property
    def outcode(self) -> str:
        return self.postcode_sector.split(" ")[0] if self.postcode_sector else ""

    @property
    def who_for(self) -> str:
        if self.requester == Requester.YOUNG_PERSON:
            return "you"
        return self.child_first_name or "your child"

    def first_contact_due(self) -> datetime.datetime | None:
        if self.submitted_at is None:
            return None
        return add_working_days(self.submitted_at, settings.BROKERAGE_FIRST_CONTACT_WORKING_DAYS)

    def first_contact_overdue(self, now: datetime.datetime | None = None) -> bool:
        due = self.first_contact_due()
        return bool(
            due
            and self.first_contact_at is None
            and self.status
            not in (Status.DRAFT, Status.MATCHED, Status.UNMATCHED, Status.WITHDRAWN)
            and (now or timezone.now()) > due
        )


class RequestEvent(AppendOnly):
    """Append-only history of a request: every transition, with who, when, from, to and a note.
    Offer moves are recorded here too (`offer` set, statuses are the offer's)."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="events")
    offer = models.ForeignKey(
        "Offer", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=12, choices=Role.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.request} {self.from_status} -> {self.to_status}"


# --- Brokers -------------------------------------------------------------------------------


class BrokerProfile(models.Model):
    """A broker's areas and their acceptance of the code of conduct.

    The areas are granted by council staff (`services.broker_areas_grant`), never chosen by
    the broker: they decide whose waiting requests, with the child's name and care notes, the
    broker may read. Who last changed them, and when, is kept here; every change is in the
    audit trail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="broker_profile"
    )
    areas = models.ManyToManyField(
        "gazetteer.LocalAuthority", blank=True, related_name="+", verbose_name="council areas"
    )
    areas_granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    areas_granted_at = models.DateTimeField(null=True, blank=True)
    code_of_conduct_version = models.CharField(max_length=20, blank=True)
    code_of_conduct_accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Broker profile of {self.user}"

    @property
    def accepted_code(self) -> bool:
        return (
            self.code_of_conduct_accepted_at is not None
            and self.code_of_conduct_version == settings.BROKERAGE_CODE_OF_CONDUCT_VERSION
        )


class Affiliation(models.Model):
    """A broker's declared link to a provider: they never broker a request involving it."""

    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="broker_affiliations"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    nature = models.CharField(
        max_length=200, help_text="E.g. I work for them; a relative runs it; I am paid by them."
    )
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["broker", "organisation"], name="one_affiliation_each")
        ]

    def __str__(self):
        return f"{self.broker} with {self.organisation}"


# --- Matching and offers ---------------------------------------------------------------------


class Candidate(models.Model):
    """A listing the broker is considering for a request: found by matching or added by hand."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="candidates")
    listing = models.ForeignKey(ListingPage, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_hand = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "listing"], name="one_candidate_each")
        ]

    def __str__(self):
        return f"Candidate {self.listing_id} for {self.request}"


class Offer(models.Model):
    """An anonymised summary of a request sent to one provider, and their answer.

    `request` is empty only for the offer behind a confirmed agreement whose request has been
    deleted (the family closed their account, or the retention period passed): the provider
    keeps the agreed package and the summary they were sent (`brokerage.privacy`)."""

    request = models.ForeignKey(
        SupportRequest, null=True, on_delete=models.SET_NULL, related_name="offers"
    )
    listing = models.ForeignKey(ListingPage, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=OfferStatus.choices, default=OfferStatus.SENT, db_index=True
    )
    summary = models.JSONField(default=dict)  # frozen when sent: what the provider may see
    broker_note = models.CharField(max_length=500, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    proposed_hours = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    rate = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    decline_reason = models.CharField(max_length=16, choices=DeclineReason.choices, blank=True)
    provider_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "listing"],
                condition=~models.Q(status__in=["declined", "expired", "withdrawn"]),
                name="one_live_offer_per_listing",
            )
        ]

    def __str__(self):
        return f"Offer {self.pk} for {self.request}"


class ContactShare(AppendOnly):
    """Every time a family's details go to a provider: what, to whom, why, when. Contact
    details go to the provider the family chooses; the care notes (communication, personal
    care and health, behaviour) only if the family also agrees to share them (`care_notes`)."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(
        "Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    fields_shared = models.CharField(max_length=200)
    care_notes = models.BooleanField(default=False)
    purpose = models.CharField(max_length=300)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"Shared with {self.organisation} for {self.request}"


# --- Agreement, reviews and outcomes ---------------------------------------------------------


class Agreement(models.Model):
    """The agreed package. A confirmed one outlives its request: the provider must keep what
    was agreed (dates, hours, rate, funding), so when the family's request is deleted the
    agreement and its offer stay, with no family details (`brokerage.privacy`)."""

    request = models.OneToOneField(
        SupportRequest, null=True, on_delete=models.SET_NULL, related_name="agreement"
    )
    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="agreement")
    hours_per_week = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(0.5)]
    )
    rate = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])
    funding = models.ForeignKey(FundingRoute, on_delete=models.PROTECT, related_name="+")
    # When the support happens: the days of the week, the times, and whether in term time or
    # the school holidays (or both).
    days = models.ManyToManyField(Weekday, blank=True, related_name="+")
    time_from = models.TimeField(null=True, blank=True)
    time_to = models.TimeField(null=True, blank=True)
    term_time = models.BooleanField(default=False)
    school_holidays = models.BooleanField(default=False)
    start_date = models.DateField()
    review_date = models.DateField(db_index=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    drafted_at = models.DateTimeField(default=timezone.now)
    family_confirmed_at = models.DateTimeField(null=True, blank=True)
    provider_confirmed_at = models.DateTimeField(null=True, blank=True)
    provider_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    capacity_taken = models.PositiveIntegerField(null=True, blank=True)
    family_left_at = models.DateTimeField(
        null=True, blank=True, help_text="When the family closed their account."
    )

    def __str__(self):
        return f"Agreement for {self.request or self.offer.summary.get('reference', '')}"

    @property
    def confirmed(self) -> bool:
        return bool(self.family_confirmed_at and self.provider_confirmed_at)

    @property
    def weekly_cost(self):
        return self.hours_per_week * self.rate

    @property
    def when(self) -> str:
        """The days and times of the support in words: "Saturday, 10:00 to 14:00, in the
        school holidays"."""
        parts = [", ".join(day.name for day in self.days.all())]
        if self.time_from and self.time_to:
            parts.append(f"{self.time_from:%H:%M} to {self.time_to:%H:%M}")
        seasons = [
            words
            for words, on in (
                ("in term time", self.term_time),
                ("in the school holidays", self.school_holidays),
            )
            if on
        ]
        parts.append(" and ".join(seasons))
        return ", ".join(part for part in parts if part) or "Not recorded"


class Review(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    feeling = models.CharField(max_length=10, choices=ReviewFeeling.choices)
    family_words = models.TextField("In the family's own words", max_length=3000)
    young_person_words = models.TextField(
        "In the young person's own words", max_length=3000, blank=True
    )
    next_review_date = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"Review on {self.held_on}"


class RequestOutcome(models.Model):
    """The anonymised outcome of every closed request: kept for statistics when the family's
    account and request are deleted. No name, no postcode beyond its district, no free text."""

    request = models.OneToOneField(
        SupportRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="outcome"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, db_index=True)
    reasons = models.CharField(max_length=200, blank=True)
    closed_on = models.DateField(db_index=True)
    submitted_on = models.DateField(null=True, blank=True)
    days_to_close = models.PositiveIntegerField(null=True, blank=True)
    outcode = models.CharField(max_length=4, blank=True)
    local_authority_code = models.CharField(max_length=9, blank=True)
    age_band = models.CharField(max_length=8, blank=True)
    support_kinds = models.CharField(max_length=120, blank=True)
    funding = models.CharField(max_length=80, blank=True)
    offers_sent = models.PositiveSmallIntegerField(default=0)
    offers_accepted = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-closed_on", "-id"]

    def __str__(self):
        return f"{self.outcome} {self.closed_on}"
