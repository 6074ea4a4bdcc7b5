"""Forms for the auditor area (public site) and the coordinator's admin screens."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm

from core.fields import IdChoiceField, IdsChoiceField

from .choices import RATING_EASY, RATING_HINTS, RATING_PICTURES, AgeBand, Rating
from .models import AuditorProfile
from .services.auditors import clean_username

MAX_PHOTO_BYTES = 10 * 1024 * 1024


class AnswerForm(forms.Form):
    rating = forms.ChoiceField(
        label="What did you find?",
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose yes, a bit or no"},
    )
    comment = forms.CharField(
        label="Tell us more (you do not have to)",
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        error_messages={"max_length": "Write 1,000 characters or fewer"},
    )
    photo = forms.ImageField(
        label="Add a photo (you do not have to)",
        required=False,
        help_text="Only take photos of places and things. Never a person who has not said yes.",
        error_messages={"invalid_image": "The photo must be a picture (JPG, PNG or GIF)"},
    )
    photo_people_confirmed = forms.BooleanField(
        label="There are no people in my photo, or everyone in it said yes",
        required=False,
    )
    remove_photo = forms.BooleanField(label="Remove my photo", required=False)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError("The photo must be smaller than 10 MB")
        return photo

    def clean(self):
        data = super().clean()
        if data.get("photo") and not data.get("photo_people_confirmed"):
            self.add_error(
                "photo_people_confirmed",
                "Tick the box to say there are no people in the photo, or everyone in it said yes",
            )
        return data

    @staticmethod
    def choices_for_template():
        return [
            {
                "value": r.value,
                "label": RATING_EASY[r],
                "picture": RATING_PICTURES[r][0],
                "alt": RATING_PICTURES[r][1],
                "hint": RATING_HINTS[r],
            }
            for r in Rating
        ]


# --- Admin forms ---------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class ScheduleForm(forms.Form):
    expected_status = forms.CharField(widget=forms.HiddenInput)
    visit_date = forms.DateField(widget=DateInput, error_messages={"required": "Enter a date"})
    visit_time = forms.TimeField(
        label="Start time",
        widget=TimeInput,
        help_text="When the young auditors arrive, e.g. 10:30. It goes in their email.",
        error_messages={
            "required": "Enter the time the visit starts, e.g. 10:30",
            "invalid": "Enter a real time, e.g. 10:30",
        },
    )
    auditors = IdsChoiceField(
        queryset=AuditorProfile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=f"At least {settings.KITEMARK_MIN_AUDITORS}, trained, with parental consent "
        "where under 16.",
        error_messages={"required": "Choose the young auditors for the visit"},
    )
    supporting_adult = forms.CharField(
        max_length=120, error_messages={"required": "Name the supporting adult"}
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditors"].queryset = AuditorProfile.objects.filter(active=True)


class DecisionForm(forms.Form):
    expected_status = forms.CharField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        choices=[("award", "Award the kitemark"), ("not_yet", "Not yet: give advice")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the panel's decision"},
    )
    reasons = forms.CharField(
        label="The panel's reasons", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    award_months = forms.IntegerField(
        label="Award lasts (months)",
        min_value=1,
        max_value=60,
        required=False,
        initial=settings.KITEMARK_AWARD_MONTHS,
    )
    public_summary = forms.CharField(
        label="What young people said (summary for the public page)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    advice = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    improvement_actions = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    training_offered = forms.BooleanField(label="Offer the setting training", required=False)
    reaudit_due_on = forms.DateField(label="Re-audit on", widget=DateInput, required=False)
    published_answers = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, quotes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_answers"].choices = [(str(a.pk), a.comment) for a in quotes]


class TransitionForm(forms.Form):
    expected_status = forms.CharField(widget=forms.HiddenInput)
    to = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequestAuditForm(forms.Form):
    listing = IdChoiceField(
        queryset=None, error_messages={"required": "Choose the listing to be audited"}
    )
    note = forms.CharField(
        label="Anything the panel should know",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, listings, shown=None, **kwargs):
        """`listings` may be asked for; `shown` (staff, who may choose any of thousands) is
        the few found by their search, so the page never lists every listing."""
        super().__init__(*args, **kwargs)
        self.fields["listing"].queryset = listings
        if shown is not None:
            self.fields["listing"].choices = [("", "---------")] + [
                (listing.pk, str(listing)) for listing in shown
            ]


USERNAME_HELP = (
    "What they type to sign in, e.g. their first name: 3 to 20 letters or numbers, no spaces "
    "(a hyphen may join two words). Capital letters do not matter."
)
USERNAME_ERRORS = {
    "required": "Enter a username",
    "max_length": "The username must be 3 to 20 characters long",
}
PASSWORD_HELP = (
    "At least 10 characters: three short words they will remember works well, e.g. "
    "green bus tuesday. Give it to the young person (and their parent)."
)


class AuditorCreateForm(forms.Form):
    first_name = forms.CharField(max_length=40)
    age_band = forms.ChoiceField(choices=AgeBand.choices)
    username = forms.CharField(
        max_length=20, help_text=USERNAME_HELP, error_messages=USERNAME_ERRORS
    )
    password = forms.CharField(
        min_length=10,
        widget=forms.PasswordInput,
        help_text=PASSWORD_HELP,
    )
    email = forms.EmailField(
        required=False, help_text="Optional: a parent's or their own, for reminders."
    )
    training_completed_on = forms.DateField(widget=DateInput, required=False)
    parental_consent_on = forms.DateField(
        widget=DateInput, required=False, help_text="Needed for under-16s."
    )
    access_needs = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    supporting_adult = forms.CharField(max_length=120, required=False)

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            # The same rules as everyone's password (a young auditor's account is no weaker).
            someone = get_user_model()(
                username=cleaned.get("username", ""), first_name=cleaned.get("first_name", "")
            )
            try:
                password_validation.validate_password(password, someone)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned


class AuditorPasswordForm(forms.Form):
    password = forms.CharField(
        label="New password",
        min_length=10,
        widget=forms.PasswordInput,
        help_text=PASSWORD_HELP,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password, self.user)
        return password


class AuditorEraseForm(forms.Form):
    reason = forms.CharField(
        label="Why (for the audit trail)",
        max_length=120,
        help_text="For example: their parent asked; they have left the panel. No other details.",
        error_messages={"required": "Say why, in a few words"},
    )
    confirm = forms.BooleanField(
        label="Yes, erase this young person: their account, profile, comments and photos",
        error_messages={"required": "Tick the box to say you are sure"},
    )


class AuditorProfileForm(WagtailAdminModelForm):
    """The coordinator's form for a panel member in the admin, with the short username they
    sign in with (kept on their account, so saved by `services.auditor_username_set`)."""

    username = forms.CharField(
        max_length=20, help_text=USERNAME_HELP, error_messages=USERNAME_ERRORS
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.user_id:
            self.fields["username"].initial = self.instance.user.username

    def clean_username(self):
        account = self.instance.user if self.instance.user_id else None
        try:
            return clean_username(self.cleaned_data["username"], account=account)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["username"]) from error
