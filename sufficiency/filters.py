"""The dashboard's filters, read from the query string (a plain GET form, no JavaScript). A value
the form does not know (a council that is not in the gazetteer, a month that is not a month) is
reported and ignored: the dashboard then shows every council, or the default period."""

import calendar
import datetime
import re
from dataclasses import dataclass, field

from django import forms

from core.dates import add_months, today
from directory.choices import ListingKind
from directory.models import Need
from gazetteer.models import LocalAuthority
from search.demand import AGE_BANDS

MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
DEFAULT_MONTHS = 12
MAX_MONTHS = 60
RURAL, URBAN = "rural", "urban"


def parse_month(text: str) -> datetime.date:
    """ "2026-03" as the first day of that month; ValueError for anything else."""
    match = MONTH_RE.match(text.strip())
    if not match:
        raise ValueError(text)
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValueError(text)
    return datetime.date(year, month, 1)


def month_end(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError:
            raise forms.ValidationError(
                "Enter a month as year and month, like 2026-03", code="invalid"
            ) from None


class FilterForm(forms.Form):
    council = forms.ChoiceField(
        label="Council",
        required=False,
        error_messages={"invalid_choice": "We do not know that council, so all are shown"},
    )
    kind = forms.ChoiceField(
        label="Kind of service",
        required=False,
        choices=[("", "All kinds"), *ListingKind.choices],
        error_messages={"invalid_choice": "That is not a kind of service, so all are shown"},
    )
    need = forms.ChoiceField(
        label="Need",
        required=False,
        error_messages={"invalid_choice": "We do not know that need, so all are shown"},
    )
    age_band = forms.ChoiceField(
        label="Age",
        required=False,
        choices=[("", "All ages"), *((label, label) for _low, _high, label in AGE_BANDS)],
        error_messages={"invalid_choice": "That is not one of the age bands, so all are shown"},
    )
    area = forms.ChoiceField(
        label="Rural or urban",
        required=False,
        choices=[("", "Rural and urban"), (RURAL, "Rural"), (URBAN, "Urban")],
        error_messages={"invalid_choice": "Choose rural or urban; both are shown"},
    )
    from_month = MonthField(label="From (month)", required=False)
    to_month = MonthField(label="To (month)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].choices = [
            ("", "All councils"),
            *LocalAuthority.objects.order_by("name").values_list("code", "name"),
        ]
        self.fields["need"].choices = [("", "All needs"), *Need.objects.values_list("slug", "name")]


@dataclass
class Filters:
    """What the figures are narrowed to, and what was wrong with what was asked for."""

    start: datetime.date
    end: datetime.date  # the last day of the last month
    council: str = ""
    council_name: str = ""
    kind: str = ""
    need: str = ""
    need_name: str = ""
    age_band: tuple[int, int, str] | None = None
    rural: bool | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def months(self) -> list[datetime.date]:
        months, month = [], self.start
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return months


def default_period() -> tuple[datetime.date, datetime.date]:
    this_month = today().replace(day=1)
    return add_months(this_month, 1 - DEFAULT_MONTHS), month_end(this_month)


def read_filters(data) -> tuple[FilterForm, Filters]:
    form = FilterForm(data)
    form.is_valid()
    cleaned = form.cleaned_data
    problems = [
        f"{form.fields[name].label}: {error}"
        for name, errors in form.errors.items()
        for error in errors
    ]
    start, end = default_period()
    chosen_start, chosen_end = cleaned.get("from_month"), cleaned.get("to_month")
    if chosen_start and chosen_end and chosen_start > chosen_end:
        problems.append("The first month is after the last, so the last 12 months are shown")
    else:
        if chosen_start and chosen_end:
            start, end = chosen_start, month_end(chosen_end)
        elif chosen_start:
            start, end = chosen_start, max(end, month_end(chosen_start))
        elif chosen_end:
            end = month_end(chosen_end)
            start = min(start, add_months(chosen_end, 1 - DEFAULT_MONTHS))
        if add_months(start, MAX_MONTHS) <= end:
            start = add_months(end.replace(day=1), 1 - MAX_MONTHS)
            problems.append(f"A period is at most {MAX_MONTHS} months: the last are shown")
    filters = Filters(start=start, end=end, problems=problems)
    choices = dict(form.fields["council"].choices)
    if council := cleaned.get("council"):
        filters.council, filters.council_name = council, choices[council]
    filters.kind = cleaned.get("kind") or ""
    if need := cleaned.get("need"):
        filters.need, filters.need_name = need, dict(form.fields["need"].choices)[need]
    if band := cleaned.get("age_band"):
        filters.age_band = next(b for b in AGE_BANDS if b[2] == band)
    if area := cleaned.get("area"):
        filters.rural = area == RURAL
    return form, filters
