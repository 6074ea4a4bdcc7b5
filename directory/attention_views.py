"""Council staff's lists of what families cannot rely on: listings shown as out of date,
hidden (not confirmed, or a DBS check lapsed past its grace period), closed or paused by their
provider, with how many of each; and organisations whose public liability insurance has run
out. Council staff only."""

import datetime

import django_filters
from django.db.models import Count, Q
from django.urls import reverse
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn

from core.admin_base import StaffListingView
from core.dates import today

from . import permissions, rules
from .family_view import family_view
from .models import ListingPage, Organisation
from .reminders import lapsed_insurance

STATES = [
    ("out_of_date", "Shown as out of date"),
    ("unconfirmed", "Hidden: not confirmed"),
    ("dbs", "Hidden: DBS check lapsed"),
    ("paused", "Paused by the provider"),
    ("closed", "Closed by the provider"),
]


def state_conditions(on: datetime.date) -> dict[str, Q]:
    """Each state as a query on live listings, by the one visibility rule (`rules.Cutoffs`).
    A listing may be in more than one (paused and out of date, say)."""
    c = rules.Cutoffs.on(on)
    open_ = Q(status__closed_on=None)
    return {
        "out_of_date": open_
        & Q(
            status__assured_date__lte=c.stale_on_or_before,
            status__assured_date__gt=c.expired_on_or_before,
        )
        & ~Q(status__dbs_lapsed_on__lte=c.dbs_hidden_lapsed_on_or_before),
        "unconfirmed": open_ & Q(status__assured_date__lte=c.expired_on_or_before),
        "dbs": open_ & Q(status__dbs_lapsed_on__lte=c.dbs_hidden_lapsed_on_or_before),
        "paused": open_ & Q(status__paused_until__gt=c.day),
        "closed": Q(status__closed_on__isnull=False),
    }


def needing_attention(on: datetime.date | None = None):
    conditions = state_conditions(on or today())
    any_state = Q()
    for condition in conditions.values():
        any_state |= condition
    return ListingPage.objects.live().filter(any_state)


def attention_counts(on: datetime.date | None = None) -> list[dict]:
    """How many live listings are in each state today, for the list's summary."""
    listings = ListingPage.objects.live()
    return [
        {"state": state, "label": label, "count": listings.filter(condition).count()}
        for (state, label), condition in zip(
            STATES, state_conditions(on or today()).values(), strict=True
        )
    ]


class AttentionFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=STATES, method="filter_state", label="What families see", empty_label="All"
    )

    class Meta:
        model = ListingPage
        fields = ["state"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(state_conditions(today())[value])


class ListingAttentionView(StaffListingView):
    """Listings families cannot rely on, oldest confirmation first."""

    page_title = "Out-of-date, hidden and withdrawn listings"
    header_icon = "warning"
    index_url_name = "directory_admin:listings_attention"
    index_results_url_name = "directory_admin:listings_attention_results"
    results_template_name = "directory/admin/attention_results.html"
    filterset_class = AttentionFilter
    verbose_name_plural = "listings"
    model = ListingPage
    columns = [
        TitleColumn(
            "title",
            label="Listing",
            get_url=lambda listing: reverse("wagtailadmin_pages:edit", args=[listing.pk]),
        ),
        Column("organisation", label="Provider"),
        Column(
            "families",
            label="What families see",
            accessor=lambda listing: family_view(listing, listing.status).label,
        ),
        Column(
            "why", label="Why", accessor=lambda listing: family_view(listing, listing.status).why
        ),
        DateColumn("assured_date", label="Last confirmed", accessor="status.assured_date"),
    ]

    def allowed(self, user):
        return permissions.is_council_staff(user)

    def get_base_queryset(self):
        return (
            needing_attention()
            .select_related("status", "organisation")
            .order_by("status__assured_date", "title")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(counts=attention_counts(), **kwargs)


class InsuranceLapsedView(StaffListingView):
    """Organisations whose public liability insurance has run out, longest ago first."""

    page_title = "Lapsed public liability insurance"
    header_icon = "warning"
    index_url_name = "directory_admin:insurance_lapsed"
    index_results_url_name = "directory_admin:insurance_lapsed_results"
    verbose_name_plural = "organisations"
    model = Organisation
    columns = [
        TitleColumn(
            "name",
            label="Organisation",
            get_url=lambda organisation: reverse("organisations:edit", args=[organisation.pk]),
        ),
        Column("insurer", label="Insurer"),
        DateColumn("insurance_expiry", label="Ran out on"),
        Column("email", label="Email"),
        Column("listing_count", label="Listings"),
    ]

    def allowed(self, user):
        return permissions.is_council_staff(user)

    def get_base_queryset(self):
        return (
            lapsed_insurance(today())
            .annotate(listing_count=Count("listings"))
            .order_by("insurance_expiry", "name")
        )
