import datetime

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q

from core.dates import today

from . import permissions
from .choices import ApplicationStatus, DBSReview, ListingKind
from .models import (
    ListingPage,
    ListingReport,
    Organisation,
    ProviderApplication,
    ServiceType,
    StaffMember,
)


class BrowseFilter(django_filters.FilterSet):
    """Browse the directory by kind and by type of service (GET parameters, shareable)."""

    kind = django_filters.ChoiceFilter(
        choices=ListingKind.choices,
        empty_label="All kinds",
        label="Kind",
        widget=forms.RadioSelect,
    )
    type = django_filters.ModelChoiceFilter(
        field_name="service_types",
        queryset=ServiceType.objects.all(),
        to_field_name="slug",
        empty_label="All types of service",
        label="Type of service",
    )

    class Meta:
        model = ListingPage
        fields = ["kind", "type"]


SAFEGUARDING_STATUSES = [
    ("awaiting", "Waiting for verification"),
    ("queried", "Queried: waiting for the provider"),
    ("due_soon", "Due for renewal soon"),
    ("lapsed", "Lapsed"),
    ("none", "No check recorded"),
]


class SafeguardingFilter(django_filters.FilterSet):
    """People whose DBS checks count, filtered by the state of their latest check.

    The queryset must be annotated with `latest_check_id`, `latest_next_due`,
    `latest_verified_at` and `latest_review` (see `models.with_latest_check`)."""

    name = django_filters.CharFilter(
        field_name="full_name", lookup_expr="icontains", label="Name contains"
    )
    status = django_filters.ChoiceFilter(
        choices=SAFEGUARDING_STATUSES, method="filter_status", label="DBS check", empty_label="All"
    )
    organisation = django_filters.ModelChoiceFilter(queryset=None, empty_label="All")

    class Meta:
        model = StaffMember
        fields = ["name", "status", "organisation"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        user = request.user if request else None
        if user is not None and permissions.is_council_staff(user):
            organisations = Organisation.objects.all()
        elif user is not None:
            organisations = permissions.organisations_of(user)
        else:
            organisations = Organisation.objects.none()
        self.filters["organisation"].queryset = organisations

    def filter_status(self, queryset, name, value):
        on = today()
        soon = on + datetime.timedelta(days=settings.DBS_REMINDER_DAYS)
        conditions = {
            "awaiting": Q(latest_review=DBSReview.SUBMITTED, latest_next_due__gt=on),
            "queried": Q(latest_review=DBSReview.QUERIED),
            "due_soon": Q(latest_verified_at__isnull=False)
            & Q(latest_next_due__gt=on, latest_next_due__lte=soon),
            "lapsed": Q(latest_next_due__lte=on),
            "none": Q(latest_check_id=None),
        }
        return queryset.filter(conditions[value])


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=ApplicationStatus.choices, empty_label="All applications", label="Status"
    )

    class Meta:
        model = ProviderApplication
        fields = ["status"]


class ReportFilter(django_filters.FilterSet):
    """Reports not yet dealt with, or all of them."""

    show = django_filters.ChoiceFilter(
        choices=[("open", "Not yet dealt with"), ("all", "All reports")],
        method="filter_show",
        label="Show",
        empty_label=None,
    )

    class Meta:
        model = ListingReport
        fields = ["show"]

    def filter_show(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.filter(resolved_at=None)
