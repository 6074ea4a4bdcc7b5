"""Checking one row: text by column key in, the listing's fields and its organisation out, or
every reason it cannot be imported, in words staff can act on.

The listing's own rules (ages, delivery, cost, postcode and the rest) are the model's: a row is
checked by building the listing, unsaved, and running its validation, so a row that passes
the check will save."""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.html import escape
from wagtail.models import Page

from directory.choices import (
    CapacityUnit,
    CostUnit,
    Eligibility,
    Gender,
    ListingKind,
    OrganisationKind,
)
from directory.models import (
    LISTING_MODELS,
    MAX_AGE,
    AccessFeature,
    FundingRoute,
    Language,
    Need,
    ServiceType,
    Skill,
    Weekday,
)
from gazetteer.models import LocalAuthority

from ..spreadsheet import BOOLEAN_COLUMNS, CHOICE_COLUMNS, COLUMN_BY_KEY, KIND_FIELDS

TAXONOMY_MODELS = {
    "service_types": ServiceType,
    "needs": Need,
    "skills": Skill,
    "access_features": AccessFeature,
    "languages": Language,
    "funding_accepted": FundingRoute,
}
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
BOOLEAN_DEFAULTS = {
    "at_venue": None,  # decided from the kind and the address
    "comes_to_family": False,
    "online": False,
    "term_time": True,
    "school_holidays": True,
    "overnight": False,
    "extra_worker_available": False,
}
TEXT_FIELDS = (
    "title",
    "summary",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "cost_notes",
    "cultural_notes",
    "access_notes",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_website",
    "agency_name",
    "inclusion_support",
)
PAGE_FIELDS = [f.name for f in Page._meta.get_fields() if f.concrete and f.name != "title"]
SPLIT_RE = re.compile(r"\s*[;|\n]\s*")
TIME_RE = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*(am|pm)?$", re.IGNORECASE)


class RowError(ValueError):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class CleanRow:
    """A row ready to write."""

    number: int  # the row's number in the file (the header is row 1)
    external_id: str
    kind: str
    fields: dict  # the listing's own fields
    relations: dict  # many-to-many: name -> list of objects
    organisation: dict  # name, kind, email, phone, website, postcode, external_id
    assured_date: datetime.date | None
    fingerprint: str
    warnings: list[str] = field(default_factory=list)


class Lookups:
    """The lists a row's names are matched against, read once for a whole import."""

    def __init__(self):
        self.terms = {}
        for key, model in TAXONOMY_MODELS.items():
            named = {}
            for row in model.objects.all():
                for name in (row.name, row.slug):
                    named.setdefault(_fold(name), row)
            self.terms[key] = named
        self.days = {}
        for day in Weekday.objects.all():
            for name in (day.name, day.name[:3], day.name[:2]):
                self.days.setdefault(_fold(name), day)
        self.councils = {}
        for council in LocalAuthority.objects.all():
            for name in (council.code, council.name):
                self.councils.setdefault(_fold(name), council)


def _fold(text: str) -> str:
    return " ".join(str(text).replace("-", " ").replace("_", " ").lower().split())


def _label(key: str) -> str:
    return COLUMN_BY_KEY[key].header if key in COLUMN_BY_KEY else key


def fingerprint(values: dict[str, str]) -> str:
    text = json.dumps({k: v for k, v in sorted(values.items()) if v}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def clean_row(number: int, values: dict[str, str], lookups: Lookups) -> CleanRow:
    """Check one row. Raises RowError with every problem found."""
    values = {k: _unprotect((v or "").strip()) if isinstance(v, str) else v
              for k, v in values.items()}  # fmt: skip
    errors: list[str] = []
    warnings: list[str] = []

    kind = _choice(values.get("kind"), ListingKind, "kind", errors) or ListingKind.SHORT_BREAK
    model = LISTING_MODELS[kind]
    fields: dict = {}
    for key in TEXT_FIELDS:
        if key in values and (key not in KIND_FIELDS_ALL or key in KIND_FIELDS[kind]):
            fields[key] = values[key]
    fields["description"] = _paragraphs(values.get("description", ""))
    for key in ("age_min", "age_max", "travel_radius_miles", "capacity_now"):
        if values.get(key):
            fields[key] = _whole(values[key], key, errors)
    for key in ("age_min", "age_max"):
        if (fields.get(key) or 0) > MAX_AGE:
            warnings.append(f"{_label(key)}: {fields[key]} given; the directory lists up to "
                            f"{MAX_AGE}, so {MAX_AGE} is recorded")  # fmt: skip
            fields[key] = MAX_AGE
    if kind == ListingKind.PERSONAL_ASSISTANT and values.get("hours_available_per_week"):
        fields["hours_available_per_week"] = _whole(
            values["hours_available_per_week"], "hours_available_per_week", errors
        )
    if kind == ListingKind.SHORT_BREAK and values.get("min_booking_hours"):
        fields["min_booking_hours"] = _decimal(
            values["min_booking_hours"], "min_booking_hours", errors, places="0.1"
        )
    for key in BOOLEAN_COLUMNS:
        if key == "extra_worker_available" and kind != ListingKind.INCLUSIVE_CLUB:
            continue
        value = _boolean(values.get(key, ""), key, errors)
        fields[key] = BOOLEAN_DEFAULTS[key] if value is None else value
    if not values.get("comes_to_family") and (
        kind == ListingKind.PERSONAL_ASSISTANT or values.get("travel_radius_miles")
    ):
        fields["comes_to_family"] = True  # a personal assistant, or someone who says how far
    if fields["at_venue"] is None:
        fields["at_venue"] = not (
            kind == ListingKind.PERSONAL_ASSISTANT
            or (
                (fields["comes_to_family"] or fields["online"]) and not values.get("address_line_1")
            )
        )
    for key in ("time_from", "time_to"):
        if values.get(key):
            fields[key] = _time(values[key], key, errors)
    fields["cost_unit"] = _cost_unit(values, errors)
    if values.get("cost_amount") and fields["cost_unit"] != CostUnit.FREE:
        fields["cost_amount"] = _decimal(values["cost_amount"].lstrip("£"), "cost_amount", errors)
    fields["eligibility"] = _eligibility(values.get("eligibility"), errors) or Eligibility.OPEN
    fields["capacity_unit"] = (
        _choice(values.get("capacity_unit"), CapacityUnit, "capacity_unit", errors)
        or CapacityUnit.PLACES
    )
    if kind == ListingKind.PERSONAL_ASSISTANT:
        employment = _choice_of_kind(values, "employment", errors)
        if employment:
            fields["employment"] = employment
        gender = _choice(values.get("gender"), Gender, "gender", errors)
        fields["gender"] = gender or ""
    for key in ("contact_email",):
        if fields.get(key):
            try:
                EmailValidator()(fields[key])
            except ValidationError:
                errors.append(f"{_label(key)}: {fields[key]!r} is not an email address")
    for key in ("contact_website",):
        if fields.get(key) and not fields[key].startswith(("http://", "https://")):
            fields[key] = "https://" + fields[key]

    relations: dict = {}
    for key, named in lookups.terms.items():
        found, unknown = _names(values.get(key, ""), named)
        relations[key] = found
        if unknown:
            warnings.append(
                f"{_label(key)}: not on the council's list, left out: {', '.join(unknown)}"
            )
    unknown = []
    for name in SPLIT_RE.split(values.get("other_terms", "")):
        match = None
        for key in ("service_types", "needs", "skills", "access_features", "funding_accepted"):
            match = lookups.terms[key].get(_fold(name))
            if match is not None:
                relations[key].append(match)
                break
        if match is None and name:
            unknown.append(name)
    if unknown:
        warnings.append(f"Terms not matched to the council's lists, left out: {', '.join(unknown)}")
    days, unknown = _names(values.get("days", ""), lookups.days)
    relations["days"] = days
    if unknown:
        errors.append(f"Days: not days of the week: {', '.join(unknown)}")
    councils, unknown = _names(values.get("served_local_authorities", ""), lookups.councils)
    relations["served_local_authorities"] = councils
    if unknown:
        warnings.append(f"Councils served: not councils in England, left out: {', '.join(unknown)}")

    assured = None
    if values.get("assured_date"):
        assured = _date(values["assured_date"], "assured_date", errors)

    organisation = _organisation(values, kind, errors, warnings)

    listing = model(**fields)
    listing._check_slug_is_unique = lambda: None  # checked when it is added under its provider
    try:
        listing.full_clean(exclude=PAGE_FIELDS + ["organisation"])
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            for message in messages:
                errors.append(f"{_label(key)}: {message}" if key != "__all__" else message)
    if errors:
        raise RowError(list(dict.fromkeys(errors)))
    for key in ("postcode", "postcode_district", "latitude", "longitude", "local_authority_code"):
        fields[key] = getattr(listing, key)
    external_id = values.get("source_id") or _natural_id(organisation["name"], fields["title"])
    return CleanRow(
        number=number,
        external_id=external_id[:200],
        kind=kind,
        fields=fields,
        relations=relations,
        organisation=organisation,
        assured_date=assured,
        fingerprint=fingerprint(values),
        warnings=warnings,
    )


def _unprotect(text: str) -> str:
    """A value the export wrote with an apostrophe in front, so spreadsheets show it as text
    rather than run it ("'=HYPERLINK...", "'+44 191..."), back as it was."""
    if text.startswith("'") and text[1:2] and text[1] in "=+-@\t\r\n":
        return text[1:]
    return text


KIND_FIELDS_ALL = {key for keys in KIND_FIELDS.values() for key in keys}


def _natural_id(organisation: str, title: str) -> str:
    """A row with no id of its own is known by its organisation's and its own name."""
    return f"name:{_fold(organisation)}/{_fold(title)}"


def _organisation(values, kind, errors, warnings) -> dict:
    name = " ".join(values.get("organisation_name", "").split())
    if not name:
        errors.append(
            "Organisation name: enter the organisation (or the personal assistant's name)"
        )
    org_kind = _choice(
        values.get("organisation_kind"), OrganisationKind, "organisation_kind", errors
    )
    assumed = ""
    if not org_kind:
        org_kind = (
            OrganisationKind.SELF_EMPLOYED_PA
            if kind == ListingKind.PERSONAL_ASSISTANT
            else OrganisationKind.CHARITY
        )
        assumed = OrganisationKind(org_kind).label
    email = values.get("organisation_email", "")
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors.append(f"Organisation email: {email!r} is not an email address")
    website = values.get("organisation_website", "")
    if website and not website.startswith(("http://", "https://")):
        website = "https://" + website
    if website:
        try:
            URLValidator()(website)
        except ValidationError:
            errors.append(f"Organisation website: {website!r} is not a web address")
    return {
        "external_id": values.get("organisation_id", "")[:200],
        "name": name[:200],
        "kind": org_kind,
        "kind_assumed": assumed,
        "email": email,
        "phone": values.get("organisation_phone", "")[:30],
        "website": website,
        "postcode": values.get("organisation_postcode", "")[:8],
    }


def _names(text: str, named: dict) -> tuple[list, list[str]]:
    found, unknown = [], []
    for name in SPLIT_RE.split(text or ""):
        if not name:
            continue
        match = named.get(_fold(name))
        if match is None:
            unknown.append(name)
        elif match not in found:
            found.append(match)
    return found, unknown


def _choice(text, choices, key, errors):
    if not text:
        return None
    folded = _fold(text)
    for value, label in choices.choices:
        if folded in (_fold(value), _fold(label)) and value:
            return value
    if choices is Gender and folded in ("prefer not to say", "not said"):
        return ""
    options = ", ".join(label for value, label in choices.choices if value)
    errors.append(f"{_label(key)}: {text!r} is not one of: {options}")
    return None


def _eligibility(text, errors):
    """A label, a code, or the label's first words ("Open access", "Referral by a
    professional", "Needs an assessment")."""
    if text and ":" not in text:
        folded = _fold(text)
        for value, label in Eligibility.choices:
            if _fold(label).startswith(folded) or _fold(label.split(":")[0]) == folded:
                return value
    return _choice(text, Eligibility, "eligibility", errors)


def _choice_of_kind(values, key, errors):
    return _choice(values.get(key), CHOICE_COLUMNS[key], key, errors)


def _cost_unit(values, errors) -> str:
    text = values.get("cost_unit", "")
    folded = _fold(text).removeprefix("per ").removeprefix("a ").removeprefix("an ")
    if not text:
        amount = values.get("cost_amount", "").lstrip("£")
        if not amount or amount in ("0", "0.00"):
            return CostUnit.FREE
        return CostUnit.SESSION
    return _choice(folded, CostUnit, "cost_unit", errors) or CostUnit.SESSION


def _boolean(text: str, key: str, errors) -> bool | None:
    folded = _fold(text)
    if not folded:
        return None
    if folded in YES:
        return True
    if folded in NO:
        return False
    errors.append(f"{_label(key)}: say Yes or No, not {text!r}")
    return None


def _whole(text: str, key: str, errors) -> int | None:
    try:
        number = Decimal(text)
        if number != number.to_integral_value() or number < 0:
            raise InvalidOperation
        return int(number)
    except InvalidOperation:
        errors.append(f"{_label(key)}: {text!r} is not a whole number")
        return None


def _decimal(text: str, key: str, errors, places: str = "0.01") -> Decimal | None:
    try:
        number = Decimal(text.replace(",", ""))
        if not number.is_finite():
            raise InvalidOperation
        return number.quantize(Decimal(places))
    except InvalidOperation:
        errors.append(f"{_label(key)}: {text!r} is not an amount")
        return None


def _time(text: str, key: str, errors) -> datetime.time | None:
    match = TIME_RE.match(text.strip())
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        meridiem = (match.group(3) or "").lower()
        if meridiem == "pm" and hour < 12:
            hour += 12
        if meridiem == "am" and hour == 12:
            hour = 0
        if hour < 24 and minute < 60:
            return datetime.time(hour, minute)
    errors.append(f"{_label(key)}: {text!r} is not a time, like 15:30")
    return None


def _date(text: str, key: str, errors) -> datetime.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.datetime.strptime(text[:10] if pattern == "%Y-%m-%d" else text,
                                              pattern).date()  # fmt: skip
        except ValueError:
            continue
    errors.append(f"{_label(key)}: {text!r} is not a date, like 2026-03-31 or 31/03/2026")
    return None


def _paragraphs(text: str) -> str:
    """Plain text as the description's rich text: a paragraph per blank-line-separated part."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in parts)
