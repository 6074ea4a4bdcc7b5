"""The family's search form: GET parameters, so every search is a shareable link."""

import django_filters
from django import forms

from core.fields import IdsChoiceField
from directory.choices import ListingKind
from directory.models import (
    AccessFeature,
    FundingRoute,
    Language,
    ListingPage,
    Need,
    ServiceType,
    Skill,
    Weekday,
)

from .query import Filters, Mode, Sort

RADIUS_CHOICES = [("", "Let us choose (wider in the countryside)")] + [
    (str(m), f"{m} miles") for m in (1, 3, 5, 10, 15, 20, 30)
]


class IdsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = IdsChoiceField


def no_op(queryset, name, value):
    """These filters describe the query; the search backend applies them, not the ORM."""
    return queryset


class SearchFilter(django_filters.FilterSet):
    postcode = django_filters.CharFilter(
        label="Your postcode, town or village",
        method=no_op,
        help_text="For example, NE46 3NR or Bellingham",
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
    day = IdsFilter(
        label="Days you need",
        queryset=Weekday.objects.all(),
        method=no_op,
        widget=forms.CheckboxSelectMultiple,
    )
    open_at = django_filters.TimeFilter(
        label="Open at (optional)", help_text="For example, 16:30", method=no_op
    )
    when = django_filters.ChoiceFilter(
        label="Term time or holidays",
        choices=[("term", "In term time"), ("holidays", "In the school holidays")],
        empty_label="Either",
        method=no_op,
    )
    overnight = django_filters.BooleanFilter(
        label="Only show overnight stays", method=no_op, widget=forms.CheckboxInput
    )
    max_cost = django_filters.NumberFilter(
        label="Costs up to, per hour (£)",
        help_text="Free services are always shown",
        method=no_op,
        min_value=0,
        max_value=1000,
    )
    language = django_filters.ModelMultipleChoiceFilter(
        label="Languages spoken",
        queryset=Language.objects.all(),
        to_field_name="slug",
        method=no_op,
        widget=forms.CheckboxSelectMultiple,
    )
    access = django_filters.ModelMultipleChoiceFilter(
        label="Access and sensory needs",
        queryset=AccessFeature.objects.all(),
        to_field_name="slug",
        method=no_op,
        widget=forms.CheckboxSelectMultiple,
    )
    verified_dbs = django_filters.BooleanFilter(
        label="Only show DBS checks verified by the council",
        method=no_op,
        widget=forms.CheckboxInput,
    )
    kitemarked = django_filters.BooleanFilter(
        label="Only show places with a kitemark from young people",
        help_text="Young auditors visited and said it is welcoming for all children.",
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
            (Sort.RELEVANCE, "Best match for your words"),
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
        self.form.fields["open_at"].error_messages["invalid"] = "Enter a time, like 16:30"
        self.form.fields["max_cost"].error_messages.update(
            {
                "invalid": "Enter an amount in pounds, like 15",
                "min_value": "Enter an amount from £0 to £1,000",
                "max_value": "Enter an amount from £0 to £1,000",
            }
        )

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
            days=tuple(d.pk for d in data.get("day") or ()),
            at_time=data.get("open_at"),
            term_time=data.get("when") == "term",
            school_holidays=data.get("when") == "holidays",
            overnight=bool(data.get("overnight")),
            max_hourly_cost=data.get("max_cost"),
            languages=tuple(x.slug for x in data.get("language") or ()),
            access_features=tuple(x.slug for x in data.get("access") or ()),
            verified_dbs_only=bool(data.get("verified_dbs")),
            free_only=bool(data.get("free")),
            has_capacity=bool(data.get("has_space")),
            kitemarked_only=bool(data.get("kitemarked")),
        )
        options = {
            "mode": Mode(data.get("mode") or Mode.BOTH),
            "radius_miles": float(data["radius"]) if data.get("radius") else None,
            "text": (data.get("q") or "").strip()[:100],
            "sort": Sort(data.get("sort") or Sort.DISTANCE),
        }
        return filters, options


FACET_FIELDS = {
    "kind": "kinds",
    "need": "needs",
    "skill": "skills",
    "funding": "funding",
    "language": "languages",
    "access": "access_features",
}


def show_facet_counts(form, facets: dict[str, dict[str, int]]) -> None:
    """Put the number of results beside each choice, e.g. "Autism (12)": the checkbox groups
    (`search_form.checkbox_group`) read these counts, by field name and choice value."""
    form.facet_counts = {
        field_name: facets.get(facet, {}) for field_name, facet in FACET_FIELDS.items()
    }
