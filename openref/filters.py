"""The query parameters of the list endpoints, checked before any query runs.

A parameter that is not what the specification says (not a UUID, not a date and time, not a
postcode in England, out of range, with a NUL byte...) makes the form invalid and the view
answers 400 with the form's errors: never a server error.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from directory.models import ListingPage
from gazetteer.lookup import PostcodeError, lookup

from .geography import listings_covering, listings_near
from .ids import parse
from .pagination import PageForm, StrictBooleanField
from .taxonomies import TAXONOMIES_BY_ID, find_term, taxonomy_q, term_q

MAX_SEARCH = 200
MAX_PROXIMITY_METRES = 200_000  # 200 km: further than any short break is useful


class UUIDText(forms.CharField):
    """A UUID written in ASCII (Python would read other scripts' digits as hex)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        parsed = parse(value)
        if parsed is None:
            raise forms.ValidationError("Enter a valid UUID.", code="invalid")
        return str(parsed)


class SafeDateTimeField(forms.DateTimeField):
    """ISO 8601; a date and time the database cannot hold is a bad request."""

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 40:
            raise forms.ValidationError("Enter an ISO 8601 date and time.", code="invalid")
        try:
            moment = super().to_python(value)
            if moment is not None:
                moment.astimezone(datetime.UTC)
                if timezone.is_naive(moment):
                    timezone.make_aware(moment)
        except (OverflowError, ValueError) as error:
            raise forms.ValidationError(
                "Enter an ISO 8601 date and time.", code="invalid"
            ) from error
        return moment


class UUIDFilter(django_filters.Filter):
    field_class = UUIDText


class DateTimeFilter(django_filters.Filter):
    field_class = SafeDateTimeField


class BaseParamsForm(PageForm):
    search = forms.CharField(required=False, max_length=MAX_SEARCH)
    full = StrictBooleanField(required=False)


class ServiceParamsForm(BaseParamsForm):
    """Checks the parameters that need each other (a postcode for a proximity)."""

    minimal = StrictBooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        postcode = cleaned.get("postcode")
        if cleaned.get("proximity") is not None and not postcode and "postcode" not in self.errors:
            self.add_error("proximity", "Give a postcode to measure the proximity from.")
        if postcode:
            try:
                cleaned["place"] = lookup(postcode)
            except PostcodeError as error:
                self.add_error("postcode", str(error))
        return cleaned


class ServiceFilter(django_filters.FilterSet):
    """`/services` and `/service_at_locations` filters on the published listings."""

    search = django_filters.CharFilter(method="filter_search", max_length=MAX_SEARCH)
    taxonomy_term_id = UUIDFilter(method="filter_term")
    taxonomy_id = UUIDFilter(method="filter_taxonomy")
    organization_id = UUIDFilter(field_name="organisation__uuid")
    modified_after = DateTimeFilter(field_name="last_published_at", lookup_expr="gte")
    postcode = django_filters.CharFilter(method="filter_place", max_length=16)
    proximity = django_filters.NumberFilter(
        method="filter_place", min_value=1, max_value=MAX_PROXIMITY_METRES
    )

    class Meta:
        model = ListingPage
        fields: list[str] = []
        form = ServiceParamsForm

    def filter_search(self, queryset, name, value):
        # Names and summaries only: never the address, so a search cannot test a postcode.
        return queryset.filter(
            Q(title__icontains=value)
            | Q(summary__icontains=value)
            | Q(organisation__name__icontains=value)
        )

    def filter_term(self, queryset, name, value):
        term = find_term(value)
        if term is None:
            return queryset.none()
        return queryset.filter(term_q(term)).distinct()

    def filter_taxonomy(self, queryset, name, value):
        taxonomy = TAXONOMIES_BY_ID.get(value)
        if taxonomy is None:
            return queryset.none()
        return queryset.filter(taxonomy_q(taxonomy)).distinct()

    def filter_place(self, queryset, name, value):
        return queryset  # both parameters together, in `filter_queryset`

    def filter_queryset(self, queryset):
        # The form also holds paging and shape parameters, which are not filters.
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        place = self.form.cleaned_data.get("place")
        if place is None:
            return queryset
        proximity = self.form.cleaned_data.get("proximity")
        if proximity is not None:
            keep = listings_near(queryset, place, float(proximity))
        else:
            keep = listings_covering(queryset, place)
        return queryset.filter(pk__in=keep)


class OrganisationParamsForm(BaseParamsForm):
    full_service = StrictBooleanField(required=False)


class OrganisationDetailForm(forms.Form):
    full_service = StrictBooleanField(required=False)


class TaxonomyParamsForm(PageForm):
    search = forms.CharField(required=False, max_length=MAX_SEARCH)


class TermParamsForm(TaxonomyParamsForm):
    taxonomy_id = UUIDText(required=False)
    top_only = StrictBooleanField(required=False)
    parent_id = UUIDText(required=False)
