from django import forms

from core.fields import IdChoiceField

from .choices import ORDINARY_REASONS, DBSCheckMethod, OrganisationKind
from .models import DBSCheck, Organisation


class ReportProblemForm(forms.Form):
    """Report a problem with a listing. The first question sorts a report about a child's
    safety (a safeguarding concern) from everything else."""

    safety = forms.ChoiceField(
        label="Is this about a child's safety?",
        choices=[
            ("yes", "Yes, I am worried a child is not safe"),
            ("no", "No, it is about something else"),
        ],
        widget=forms.RadioSelect,
        help_text="For example, someone hurt a child, shouted at them, grabbed them or "
        "touched them in a way that was wrong. If you say yes, your report goes straight to "
        "the people at the council whose job is to keep children safe.",
        error_messages={
            "required": "Choose yes if this is about a child's safety, or no if it is not",
            "invalid_choice": "Choose yes or no",
        },
    )
    reason = forms.ChoiceField(
        label="What is the problem?",
        choices=ORDINARY_REASONS,
        widget=forms.RadioSelect,
        required=False,
        help_text="You can skip this if you said yes above.",
    )
    details = forms.CharField(
        label="Tell us more",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say what happened and when. Only give a child's name or medical details "
        "if it is about their safety.",
        error_messages={
            "required": "Tell us what is wrong",
            "max_length": "Keep it to 2,000 characters or fewer",
        },
    )
    reply_email = forms.EmailField(
        label="Your email address (optional)",
        required=False,
        help_text="Only if you would like a reply. We will not use it for anything else.",
        error_messages={
            "invalid": "Enter an email address in the right format, like name@example.com"
        },
    )

    def clean(self):
        data = super().clean()
        if "safety" in data:
            data["safety"] = data["safety"] == "yes"
            if not data["safety"] and not data.get("reason") and "reason" not in self.errors:
                self.add_error("reason", "Choose what the problem is")
        return data


class SpacelessField(forms.CharField):
    """A registration number, however it is typed: "SC 123 456" is "SC123456"."""

    def to_python(self, value):
        return "".join(super().to_python(value).split()).upper()


class ProviderApplicationForm(forms.Form):
    organisation_name = forms.CharField(
        label="Name of your organisation, or your own name if you are a personal assistant",
        max_length=200,
        error_messages={"required": "Enter the name of your organisation or your own name"},
    )
    kind = forms.ChoiceField(
        label="What kind of provider are you?",
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of provider"},
    )
    contact_name = forms.CharField(
        label="Your full name",
        max_length=120,
        error_messages={"required": "Enter your full name"},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We will send a link to confirm it.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the right format, like name@example.com",
        },
    )
    phone = forms.CharField(label="Phone number (optional)", max_length=30, required=False)
    postcode = forms.CharField(
        label="Postcode of your organisation or home base",
        max_length=10,
        error_messages={
            "required": "Enter a postcode, like NE46 3NR",
            "max_length": "Enter a full postcode in the right format, like NE46 3NR",
        },
    )
    what_you_offer = forms.CharField(
        label="What do you offer disabled children and young people?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Tell us what you offer",
            "max_length": "Keep it to 2,000 characters or fewer",
        },
    )
    ofsted_urn = forms.CharField(
        label="Ofsted URN (if registered)",
        max_length=10,
        required=False,
        validators=Organisation._meta.get_field("ofsted_urn").validators,
    )
    cqc_location_id = forms.CharField(
        label="CQC location ID (if registered)",
        max_length=20,
        required=False,
        validators=Organisation._meta.get_field("cqc_location_id").validators,
    )
    charity_number = SpacelessField(
        label="Registered charity number (if a charity)",
        required=False,
        validators=Organisation._meta.get_field("charity_number").validators,
    )
    company_number = SpacelessField(
        label="Company number (if a registered company)",
        required=False,
        validators=Organisation._meta.get_field("company_number").validators,
    )


class DBSCheckForm(forms.ModelForm):
    """A provider submits a check; council staff verify it separately."""

    class Meta:
        model = DBSCheck
        fields = [
            "level",
            "certificate_number",
            "issue_date",
            "update_service",
            "last_status_check",
        ]
        widgets = {
            "issue_date": forms.DateInput(attrs={"type": "date"}),
            "last_status_check": forms.DateInput(attrs={"type": "date"}),
            "certificate_number": forms.TextInput(
                attrs={"autocomplete": "off", "inputmode": "numeric"}
            ),
        }
        help_texts = {"certificate_number": "12 digits, from the top right of the certificate."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = self.fields["certificate_number"]
        number.max_length = 20  # people type spaces or dashes; they are removed below
        number.validators = [v for v in number.validators if not hasattr(v, "limit_value")]
        number.widget.attrs["maxlength"] = "20"

    def clean_certificate_number(self):
        number = "".join(self.cleaned_data["certificate_number"].split()).replace("-", "")
        if not (number.isascii() and number.isdigit() and len(number) == 12):
            raise forms.ValidationError("A DBS certificate number is 12 digits")
        return number


class StaffMemberForm(forms.Form):
    organisation = IdChoiceField(
        queryset=None,
        label="Organisation",
        error_messages={"required": "Choose the organisation they work for"},
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=120,
        help_text="As it appears on their DBS certificate.",
        error_messages={"required": "Enter their full name"},
    )
    role = forms.CharField(label="Role (optional)", max_length=120, required=False)
    works_with_children = forms.BooleanField(
        label="Works with children (their check counts for your listings' DBS badge)",
        required=False,
        initial=True,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


DATE_INVALID = {"invalid": "Enter a real date, like 27 3 2027"}


class VerifyDBSForm(forms.Form):
    """How council staff checked a DBS check; the next due date follows from it."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)
    method = forms.ChoiceField(
        label="How did you check it?",
        choices=DBSCheckMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you checked it"},
    )
    status_check_on = forms.DateField(
        label="Date of the Update Service status check",
        required=False,
        error_messages=DATE_INVALID,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Only for an Update Service status check. The next due date is a year later.",
    )
    date_of_birth_used = forms.BooleanField(
        label="I used the person's date of birth, from the provider, for the status check",
        required=False,
        help_text="The Update Service needs it. The service records only that you used it, "
        "never the date itself.",
    )
    method_note = forms.CharField(
        label="If another way, how?",
        required=False,
        max_length=300,
        error_messages={"max_length": "Keep it to 300 characters or fewer"},
    )
    next_due_date = forms.DateField(
        label="Next due date",
        required=False,
        error_messages=DATE_INVALID,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave blank to use the default: three years after issue for a certificate "
        "seen, a year after an Update Service status check.",
    )


class DBSReviewNoteForm(forms.Form):
    """Council staff query a check (what is missing) or reject it (why)."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text="The provider is emailed these words: say what is missing in plain words, "
        "without naming the person or writing the certificate number.",
        error_messages={"max_length": "Keep it to 1,000 characters or fewer"},
    )

    def __init__(self, *args, label: str, required_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].error_messages["required"] = required_message


class DBSAnswerForm(DBSCheckForm):
    """The provider answers the council's query, correcting the details if need be."""

    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label="Your answer to the council",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={
            "required": "Say what you changed, or answer the council's question",
            "max_length": "Keep it to 1,000 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = self.fields["certificate_number"]
        number.required = False
        number.help_text = (
            "Only if it was wrong: leave blank to keep the number you sent before. "
            "12 digits, from the top right of the certificate."
        )

    def clean_certificate_number(self):
        if not "".join((self.cleaned_data.get("certificate_number") or "").split()):
            return ""
        return super().clean_certificate_number()


class DeclineApplicationForm(forms.Form):
    decision_note = forms.CharField(
        label="Why is the application declined?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why, so the applicant knows what to do"},
    )


class ReportNoteForm(forms.Form):
    note = forms.CharField(
        label="Add a note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Notes are kept with the report and cannot be changed afterwards.",
        error_messages={
            "required": "Write the note",
            "max_length": "Keep the note to 2,000 characters or fewer",
        },
    )


class DealWithReportForm(forms.Form):
    note = forms.CharField(
        label="What was done?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: phone number corrected on the listing.",
        error_messages={
            "required": "Say what was done about the report",
            "max_length": "Keep it to 2,000 characters or fewer",
        },
    )
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class ConcernStepForm(forms.Form):
    """The next step of a safeguarding concern: the moves the person may make now."""

    to = forms.ChoiceField(
        label="Next step",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the next step",
            "invalid_choice": "That step is not one this concern can take now",
        },
    )
    note = forms.CharField(
        label="Note",
        max_length=2000,
        required=False,  # the workflow's guard says what the note must say for each step
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who did what, and when. It is kept with the concern and cannot be changed "
        "afterwards.",
        error_messages={"max_length": "Keep the note to 2,000 characters or fewer"},
    )
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, steps: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = steps
        if len(steps) == 1:
            self.fields["to"].initial = steps[0][0]


class MakeConcernForm(forms.Form):
    """Council staff see an ordinary report is really about a child's safety."""

    note = forms.CharField(
        label="Why is this about a child's safety?",
        max_length=2000,
        required=False,  # the workflow's guard asks for it
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="It becomes a safeguarding concern and goes at once to the safeguarding "
        "inbox and the LADO. This cannot be undone.",
        error_messages={"max_length": "Keep it to 2,000 characters or fewer"},
    )
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)


class AvailabilityForm(forms.Form):
    """A provider closes, pauses or reopens a service, without moderation."""

    OPEN, PAUSED, CLOSED = "open", "paused", "closed"
    availability = forms.ChoiceField(
        label="Can families book this service?",
        choices=[
            (OPEN, "Yes, we are taking bookings"),
            (PAUSED, "Not until a date: pause it (families still see it, and the date)"),
            (CLOSED, "No, the service has closed: hide it from families"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether families can book this service"},
    )
    until = forms.DateField(
        label="If paused: the date you take bookings again",
        help_text="For example, 27 March 2027. Type it as 27/03/2027 if your browser asks.",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
        error_messages={"invalid": "Enter a real date, like 27/03/2027"},
    )

    def clean(self):
        data = super().clean()
        if data.get("availability") == self.PAUSED and not data.get("until"):
            if "until" not in self.errors:
                self.add_error("until", "Enter the date you will take bookings again")
        return data


class SpaceNowForm(forms.Form):
    """A provider says how much space they have now, without moderation."""

    capacity_now = forms.IntegerField(
        label="Space now",
        min_value=0,
        max_value=10_000,
        help_text="Places or hours a week you can offer now; 0 if you are full.",
        error_messages={
            "required": "Enter the space you have now: 0 if you are full",
            "invalid": "Enter a whole number, like 3",
            "min_value": "Space now cannot be less than 0",
            "max_value": "Enter 10,000 or less",
        },
    )
