"""The family's questions, one per page (the staff forms are in `admin_forms.py`)."""

from django import forms
from django.core.exceptions import ValidationError

from core.fields import IdChoiceField, IdsChoiceField
from directory.models import FundingRoute, Language, Need, Skill, Weekday
from gazetteer.lookup import PostcodeError

from .choices import (
    PAGender,
    Requester,
    SupportKind,
)
from .models import MAX_CHILD_AGE
from .places import sector_place

TEXT_LIMIT = "Keep it to 1,000 characters or fewer"


class StepForm(forms.Form):
    """One page of the request. `load(request)` gives the saved answers; `values()` what to
    save to the draft."""

    title = ""
    fields_on_model: tuple[str, ...] = ()

    @classmethod
    def load(cls, request) -> dict:
        data = {}
        for name in cls.fields_on_model:
            value = getattr(request, name)
            if hasattr(value, "all"):
                value = list(value.all())
            data[name] = value
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields_on_model}


class WhoForm(StepForm):
    title = "Who is asking for support?"
    fields_on_model = ("requester",)
    requester = forms.ChoiceField(
        label=title,
        choices=Requester.choices,
        widget=forms.RadioSelect,
        help_text="A young person aged 16 or over can ask for support for themself.",
        error_messages={"required": "Select who is asking for support"},
    )


class AgeForm(StepForm):
    title = "About the person the support is for"
    fields_on_model = ("child_first_name", "age")
    child_first_name = forms.CharField(
        label="First name (optional)",
        max_length=60,
        required=False,
        help_text="Only the broker sees this. Providers never see a name until you choose one.",
        error_messages={"max_length": "Keep the first name to 60 characters or fewer"},
    )
    age = forms.IntegerField(
        label="How old are they?",
        min_value=0,
        max_value=MAX_CHILD_AGE,
        widget=forms.TextInput,  # GOV.UK: a text input, never type="number"
        help_text="In years, for example 12.",
        error_messages={
            "required": "Enter their age in years, for example 12",
            "invalid": "Enter their age as a number, for example 12",
            "min_value": "The age must be 0 or more",
            "max_value": f"This service is for children and young people up to {MAX_CHILD_AGE}",
        },
    )

    def __init__(self, *args, requester="", **kwargs):
        self.requester = requester
        super().__init__(*args, **kwargs)
        if requester == Requester.YOUNG_PERSON:
            self.fields["child_first_name"].label = "Your first name (optional)"
            self.fields["age"].label = "How old are you?"

    def clean_age(self):
        age = self.cleaned_data["age"]
        if self.requester == Requester.YOUNG_PERSON and age < 16:
            raise ValidationError(
                "You must be 16 or over to ask for yourself. A parent or carer can ask for you."
            )
        return age


class NeedsForm(StepForm):
    title = "What needs should the support understand?"
    fields_on_model = ("needs",)
    needs = IdsChoiceField(
        label=title,
        queryset=Need.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply. You can leave this blank.",
    )


class CommunicationForm(StepForm):
    title = "How do they communicate?"
    fields_on_model = ("communication",)
    communication = forms.CharField(
        label=title,
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        help_text="For example: uses Makaton and a few words; needs time to answer.",
        error_messages={"max_length": TEXT_LIMIT},
    )


class CareForm(StepForm):
    title = "Personal care and health needs"
    fields_on_model = ("care_and_health", "skills")
    care_and_health = forms.CharField(
        label="What help do they need with personal care or health?",
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        help_text="For example: needs help with toileting; has seizures at night.",
        error_messages={"max_length": TEXT_LIMIT},
    )
    skills = IdsChoiceField(
        label="Does the person supporting them need training in any of these?",
        queryset=Skill.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply.",
    )


class BehaviourForm(StepForm):
    title = "Does anything help with behaviour?"
    fields_on_model = ("behaviour_support",)
    behaviour_support = forms.CharField(
        label=title,
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        help_text="For example: a behaviour support plan, things that upset them, what calms "
        "them. Leave blank if nothing.",
        error_messages={"max_length": TEXT_LIMIT},
    )


class SupportForm(StepForm):
    title = "What kind of support would help?"
    fields_on_model = ("support_kinds",)
    support_kinds = forms.MultipleChoiceField(
        label=title,
        choices=SupportKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that you would consider.",
        error_messages={"required": "Select at least one kind of support"},
    )


class DaysForm(StepForm):
    title = "Which days would suit you?"
    fields_on_model = ("days",)
    days = IdsChoiceField(
        label=title,
        queryset=Weekday.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all the days that would suit.",
        error_messages={"required": "Select at least one day"},
    )


class TimesForm(StepForm):
    title = "What times would suit you?"
    fields_on_model = ("time_from", "time_to", "term_time", "school_holidays", "hours_per_week")
    time_from = forms.TimeField(
        label="From (optional)",
        required=False,
        help_text="For example 15:30.",
        error_messages={"invalid": "Enter a time like 15:30"},
    )
    time_to = forms.TimeField(
        label="Until (optional)",
        required=False,
        help_text="For example 18:00.",
        error_messages={"invalid": "Enter a time like 18:00"},
    )
    term_time = forms.BooleanField(label="In term time", required=False)
    school_holidays = forms.BooleanField(label="In the school holidays", required=False)
    hours_per_week = forms.DecimalField(
        label="About how many hours a week? (optional)",
        required=False,
        min_value=0.5,
        max_value=168,
        decimal_places=1,
        widget=forms.TextInput,
        error_messages={
            "invalid": "Enter the hours as a number, like 6",
            "min_value": "Enter at least half an hour",
            "max_value": "There are only 168 hours in a week",
            "max_decimal_places": "Enter the hours to the nearest half hour, like 6.5",
        },
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("time_from"), data.get("time_to")
        if bool(start) != bool(end) and not self.errors:
            self.add_error("time_to" if start else "time_from", "Enter both times, or neither")
        elif start and end and start >= end:
            self.add_error("time_to", "The end time must be after the start time")
        return data


class PostcodeForm(StepForm):
    title = "What is your postcode?"
    postcode = forms.CharField(
        label=title,
        max_length=10,
        help_text="We keep only the first part and one more number (for example NE46 3), "
        "never your full postcode.",
        error_messages={
            "required": "Enter your postcode, like NE46 3NR",
            "max_length": "Enter a full postcode in the right format, like NE46 3NR",
        },
    )

    @classmethod
    def load(cls, request) -> dict:
        return {}

    def clean_postcode(self):
        try:
            self.place = sector_place(self.cleaned_data["postcode"])
        except PostcodeError as error:
            raise ValidationError(str(error)) from error
        return self.cleaned_data["postcode"]

    def values(self) -> dict:
        place = self.place
        return {
            "postcode_sector": place.postcode_sector,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "local_authority_code": place.local_authority_code,
            "rural": place.rural,
        }


class TravelForm(StepForm):
    title = "How far could you travel to a service?"
    fields_on_model = ("travel_miles",)
    travel_miles = forms.TypedChoiceField(
        label=title,
        coerce=int,
        choices=[
            (2, "Up to 2 miles"),
            (5, "Up to 5 miles"),
            (10, "Up to 10 miles"),
            (20, "Up to 20 miles"),
            (30, "Up to 30 miles"),
        ],
        widget=forms.RadioSelect,
        help_text="People who come to your home are matched however far you can travel.",
        error_messages={"required": "Select how far you could travel"},
    )


class PreferencesForm(StepForm):
    title = "Anything you would prefer?"
    fields_on_model = ("pa_gender", "language", "culture_faith")
    pa_gender = forms.ChoiceField(
        label="Would you prefer a man or a woman as a personal assistant?",
        choices=PAGender.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    language = IdChoiceField(
        label="Language spoken at home (optional)",
        queryset=Language.objects.all(),
        required=False,
        empty_label="No preference",
    )
    culture_faith = forms.CharField(
        label="Culture or faith needs (optional)",
        max_length=300,
        required=False,
        help_text="For example: halal food; prays at set times.",
        error_messages={"max_length": "Keep it to 300 characters or fewer"},
    )


DONT_KNOW = "dont_know"


class FundingForm(StepForm):
    title = "How will the support be paid for?"
    fields_on_model = ("funding", "hourly_budget")
    funding = forms.ChoiceField(
        label=title,
        widget=forms.RadioSelect,
        help_text="If you do not know yet what you can get, choose “I don't know yet”: your "
        "broker will help you find out.",
        error_messages={
            "required": "Select how the support will be paid for, or “I don't know yet”",
            "invalid_choice": "Select a valid choice: a way of paying, or “I don't know yet”",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        routes = [(str(pk), name) for pk, name in FundingRoute.objects.values_list("pk", "name")]
        self.fields["funding"].choices = [*routes, (DONT_KNOW, "I don't know yet")]

    @classmethod
    def load(cls, request) -> dict:
        funding = DONT_KNOW if request.funding_unknown else request.funding_id
        return {"funding": funding, "hourly_budget": request.hourly_budget}

    def values(self) -> dict:
        chosen = self.cleaned_data["funding"]
        unknown = chosen == DONT_KNOW
        return {
            "funding": None if unknown else FundingRoute.objects.get(pk=int(chosen)),
            "funding_unknown": unknown,
            "hourly_budget": self.cleaned_data["hourly_budget"],
        }

    hourly_budget = forms.DecimalField(
        label="Budget per hour, in pounds (optional)",
        required=False,
        min_value=0,
        max_value=1000,
        decimal_places=2,
        widget=forms.TextInput,
        help_text="For example 16.50. Leave blank if you do not know.",
        error_messages={
            "invalid": "Enter the budget as an amount, like 16.50",
            "min_value": "The budget cannot be negative",
            "max_value": "Enter an hourly budget of £1,000 or less",
            "max_decimal_places": "Enter the budget in pounds and pence, like 16.50",
        },
    )


class ContactForm(StepForm):
    title = "How can the provider you choose contact you?"
    fields_on_model = ("contact_name", "contact_phone")
    contact_name = forms.CharField(
        label="Your name",
        max_length=120,
        error_messages={"required": "Enter your name", "max_length": "Keep it to 120 characters"},
    )
    contact_phone = forms.RegexField(
        label="Phone number (optional)",
        regex=r"^[0-9 +()-]{7,20}$",
        max_length=30,
        required=False,
        help_text="We also share your email address.",
        error_messages={"invalid": "Enter a phone number, like 07700 900123"},
    )


class ConsentForm(StepForm):
    title = "Sharing your information"
    fields_on_model = ("consent_to_share",)
    consent_to_share = forms.BooleanField(
        label="I agree that the broker may send an anonymous summary to providers, and that "
        "my contact details go to the one provider I choose, only when I choose them.",
        error_messages={"required": "Tick the box to agree, or we cannot look for support"},
    )


STEPS = [
    ("who", WhoForm),
    ("age", AgeForm),
    ("needs", NeedsForm),
    ("communication", CommunicationForm),
    ("care", CareForm),
    ("behaviour", BehaviourForm),
    ("support", SupportForm),
    ("days", DaysForm),
    ("times", TimesForm),
    ("postcode", PostcodeForm),
    ("travel", TravelForm),
    ("preferences", PreferencesForm),
    ("funding", FundingForm),
    ("contact", ContactForm),
    ("consent", ConsentForm),
]
STEP_FORMS = dict(STEPS)
STEP_NAMES = [name for name, _ in STEPS]
