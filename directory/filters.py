import django_filters
from django import forms

from .choices import ListingKind
from .models import ListingPage, ServiceType


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
