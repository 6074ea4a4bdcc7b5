"""The staff forms in the Wagtail admin: brokers, providers and council staff."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from core.dates import today
from core.fields import IdChoiceField, IdsChoiceField
from directory.models import FundingRoute, Organisation, Weekday
from gazetteer.models import LocalAuthority

from .choices import DeclineReason, ReviewFeeling, UnmatchedReason


class AcceptOfferForm(forms.Form):
    proposed_hours = forms.DecimalField(
        label="Hours a week you can offer", min_value=0.5, max_value=168, decimal_places=1
    )
    rate = forms.DecimalField(
        label="Rate per hour (£)", min_value=0, max_value=1000, decimal_places=2
    )
    start_date = forms.DateField(label="Earliest start date", help_text="For example 2026-12-01")
    note = forms.CharField(
        label="Anything the broker should know (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start < today():
            raise ValidationError("The start date must be today or in the future")
        return start


class DeclineOfferForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why can you not help?", choices=DeclineReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="Anything else (optional)",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UnmatchedForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label="Why could nobody suitable be found?",
        choices=UnmatchedReason.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="These go, anonymously, into the council's unmet demand figures.",
        error_messages={"required": "Choose at least one reason"},
    )


class FellThroughForm(forms.Form):
    reason = forms.CharField(
        label="Why did the agreement fall through?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A short reason. The family and the provider will both see it, so write it "
        "for them.",
        error_messages={
            "required": "Say why the agreement fell through",
            "max_length": "Keep the reason to 300 characters or fewer",
        },
    )


class AgreementForm(forms.Form):
    hours_per_week = forms.DecimalField(
        label="Hours a week", min_value=0.5, max_value=168, decimal_places=1
    )
    rate = forms.DecimalField(
        label="Rate per hour (£)", min_value=0, max_value=1000, decimal_places=2
    )
    funding = IdChoiceField(label="Funding route", queryset=FundingRoute.objects.all())
    days = IdsChoiceField(
        label="Days of the week",
        queryset=Weekday.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The days the support happens. Leave blank if it is only in the school "
        "holidays, and tick that below.",
        error_messages={"invalid_choice": "Choose days from the list"},
    )
    time_from = forms.TimeField(
        label="From (optional)",
        required=False,
        help_text="For example 10:00.",
        error_messages={"invalid": "Enter a time like 10:00"},
    )
    time_to = forms.TimeField(
        label="Until (optional)",
        required=False,
        help_text="For example 14:00.",
        error_messages={"invalid": "Enter a time like 14:00"},
    )
    term_time = forms.BooleanField(label="In term time", required=False)
    school_holidays = forms.BooleanField(label="In the school holidays", required=False)
    start_date = forms.DateField(label="Start date")
    review_date = forms.DateField(
        label="Review date",
        required=False,
        help_text="Leave blank for the default (six months after the start).",
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("time_from"), data.get("time_to")
        if bool(start) != bool(end) and not self.errors:
            self.add_error("time_to" if start else "time_from", "Enter both times, or neither")
        elif start and end and start >= end:
            self.add_error("time_to", "The end time must be after the start time")
        if not self.errors and not (
            data.get("days") or data.get("term_time") or data.get("school_holidays")
        ):
            self.add_error(
                "days", "Choose the days of the support, or tick term time or school holidays"
            )
        return data


class ReviewForm(forms.Form):
    held_on = forms.DateField(label="Date of the review", initial=datetime.date.today)
    feeling = forms.ChoiceField(
        label="How is it going?", choices=ReviewFeeling.choices, widget=forms.RadioSelect
    )
    family_words = forms.CharField(
        label="In the family's own words", max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    young_person_words = forms.CharField(
        label="In the young person's own words",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Write down what they said, or how they showed it.",
    )
    next_review_date = forms.DateField(label="Next review (optional)", required=False)


class AffiliationForm(forms.Form):
    organisation = IdChoiceField(label="Provider", queryset=None)
    nature = forms.CharField(label="How are you linked to them?", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.all()


class BrokerAreasForm(forms.Form):
    """Council staff choose the council areas a broker works in."""

    areas = IdsChoiceField(
        label="Council areas this broker works in",
        queryset=LocalAuthority.objects.filter(code__startswith="E").order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The broker sees and may take waiting requests from these areas only. "
        "Untick every area to give them none.",
        error_messages={
            "invalid_choice": "Choose councils from the list",
            "invalid_pk_value": "Choose councils from the list",
        },
    )
