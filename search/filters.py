"""The family's search form: GET parameters, so every search is a shareable link."""

import django_filters
from django import forms

from directory.choices import ListingKind
from directory.models import FundingRoute, ListingPage, Need, ServiceType, Skill

from .query import Filters, Mode, Sort

RADIUS_CHOICES = [("", "Let us choose (wider in the countryside)")] + [
    (str(m), f"{m} miles") for m in (1, 3, 5, 10, 15, 20, 30)
]


def no_op(queryset, name, value):
    """These filters describe the query; the search backend applies them, not the ORM."""
    return queryset


class SearchFilter(django_filters.FilterSet):
    postcode = django_filters.CharFilter(
        label="Your postcode", method=no_op, help_text="For example, NE46 1AA"
    )
    mode = django_filters.ChoiceFilter(
        label="What are you looking for?",
        choices=[
            (Mode.BOTH, "Places I can go to, and people who can come to me"),
            (Mode.GO, "Places I can go to"),
            (Mode.COME, "People who can come to me"),
        ],
        empty_label=None,
        method=no_op,
        widget=forms.RadioSelect,
    )
    radius = django_filters.ChoiceFilter(
        label="How far can you travel?",
        choices=RADIUS_CHOICES[1:],
        empty_label=RADIUS_CHOICES[0][1],
        method=no_op,
    )
    kind = django_filters.MultipleChoiceFilter(
        label="Kind of support",
        choices=ListingKind.choices,
        method=no_op,
        widget=forms.CheckboxSelectMultiple,
    )
    type = django_filters.ModelChoiceFilter(
        label="Type of service",
        queryset=ServiceType.objects.all(),
        to_field_name="slug",
        empty_label="Any type",
        method=no_op,
    )
    age = django_filters.NumberFilter(
        label="Age of your child or young person",
        method=no_op,
        min_value=0,
        max_value=25,
    )
    need = django_filters.ModelMultipleChoiceFilter(
        label="Needs to be supported",
        queryset=Need.objects.all(),
        to_field_name="slug",
        method=no_op,
        widget=forms.CheckboxSelectMultiple,
    )
    skill = django_filters.ModelMultipleChoiceFilter(
        label="Skills the staff need",
        queryset=Skill.objects.all(),
        to_field_name="slug",
        method=no_op,
        widget=forms.CheckboxSelectMultiple,
    )
    funding = django_filters.ModelMultipleChoiceFilter(
        label="How you will pay",
        queryset=FundingRoute.objects.all(),
        to_field_name="slug",
        method=no_op,
        widget=forms.CheckboxSelectMultiple,
    )
    verified_dbs = django_filters.BooleanFilter(
        label="Only show DBS checks verified by the council",
        method=no_op,
        widget=forms.CheckboxInput,
    )
    free = django_filters.BooleanFilter(
        label="Only show free services", method=no_op, widget=forms.CheckboxInput
    )
    has_space = django_filters.BooleanFilter(
        label="Only show services with space now", method=no_op, widget=forms.CheckboxInput
    )
    q = django_filters.CharFilter(label="Words to search for (optional)", method=no_op)
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[
            (Sort.DISTANCE, "Nearest first"),
            (Sort.CHECKED, "Most recently checked"),
        ],
        empty_label=None,
        method=no_op,
    )

    class Meta:
        model = ListingPage
        fields: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["age"].error_messages.update(
            {
                "invalid": "Enter the age as a number, like 9",
                "min_value": "Enter an age from 0 to 25",
                "max_value": "Enter an age from 0 to 25",
            }
        )
        self.form.fields["q"].max_length = 100

    def criteria(self) -> tuple[Filters, dict]:
        """The validated form as the backend's `Filters`, plus mode, radius, text and sort."""
        data = self.form.cleaned_data
        filters = Filters(
            kinds=tuple(data.get("kind") or ()),
            service_types=(data["type"].slug,) if data.get("type") else (),
            age=int(data["age"]) if data.get("age") is not None else None,
            needs=tuple(n.slug for n in data.get("need") or ()),
            skills=tuple(s.slug for s in data.get("skill") or ()),
            funding=tuple(f.slug for f in data.get("funding") or ()),
            verified_dbs_only=bool(data.get("verified_dbs")),
            free_only=bool(data.get("free")),
            has_capacity=bool(data.get("has_space")),
        )
        options = {
            "mode": Mode(data.get("mode") or Mode.BOTH),
            "radius_miles": float(data["radius"]) if data.get("radius") else None,
            "text": (data.get("q") or "").strip()[:100],
            "sort": Sort(data.get("sort") or Sort.DISTANCE),
        }
        return filters, options
