"""The directory as a spreadsheet: one row a listing, with its organisation's details on it.

The same columns are written by the staff export of listings and read by the import, so a
council can export, edit in a spreadsheet and import again (re-importing updates the same
listings, keyed by the "Listing id" column). Lists (service types, needs, days...) are names
separated by semicolons; yes/no columns say "Yes" or "No"; times are "15:30"; councils are
named or given by their ONS code. docs/open-data.md lists every column, and
docs/examples/listings-import-example.csv is a filled-in example.
"""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from html import unescape

from django.utils.html import strip_tags

from directory.choices import (
    CapacityUnit,
    CostUnit,
    Eligibility,
    Gender,
    ListingKind,
    PAEmployment,
)
from directory.models import (
    InclusiveClubPage,
    ListingPage,
    PersonalAssistantPage,
    ShortBreakServicePage,
)

LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    key: str  # the record's field
    header: str  # what the spreadsheet's first row says
    help: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS: list[Column] = [
    Column(
        "source_id",
        "Listing id",
        "Your id for the listing; importing again updates it",
        aliases=("id", "service id", "listing id", "reference", "ref"),
    ),
    Column(
        "organisation_id",
        "Organisation id",
        "Your id for the organisation",
        aliases=("organization id", "provider id"),
    ),
    Column(
        "organisation_name",
        "Organisation name",
        required=True,
        aliases=("organisation", "organization", "organization name", "provider", "provider name"),
    ),
    Column(
        "organisation_kind",
        "Organisation kind",
        "Charity or voluntary group, Private company, Council in-house service, Childminder, "
        "Self-employed personal assistant",
        aliases=("organisation type", "provider type"),
    ),
    Column("organisation_email", "Organisation email", aliases=("organization email",)),
    Column("organisation_phone", "Organisation phone", aliases=("organization phone",)),
    Column("organisation_website", "Organisation website", aliases=("organization website",)),
    Column("organisation_postcode", "Organisation postcode", aliases=("organization postcode",)),
    Column(
        "kind",
        "Kind",
        "Short break service, Personal assistant or Inclusive club or activity",
        aliases=("listing kind", "type of listing", "listing type"),
    ),
    Column(
        "title", "Name", required=True, aliases=("service name", "listing name", "title", "service")
    ),
    Column(
        "summary",
        "Summary",
        "One or two sentences, at most 300 characters",
        required=True,
        aliases=("short description", "about"),
    ),
    Column(
        "description",
        "Description",
        "Plain text; blank lines start new paragraphs",
        aliases=("long description", "details"),
    ),
    Column("service_types", "Service types", aliases=("service type", "types")),
    Column("age_min", "Youngest age", aliases=("min age", "minimum age", "age from")),
    Column("age_max", "Oldest age", aliases=("max age", "maximum age", "age to")),
    Column("needs", "Needs supported", aliases=("needs", "conditions")),
    Column(
        "eligibility",
        "Who can use it",
        "Open access, Needs an assessment by the council, Referral by a professional, or "
        "Paid with a direct payment (blank: open access)",
        aliases=("eligibility", "who can use it", "access route"),
    ),
    Column("skills", "Skills", aliases=("staff skills",)),
    Column("at_venue", "At a venue", aliases=("venue",)),
    Column("comes_to_family", "Comes to the family", aliases=("comes to you", "home visits")),
    Column("online", "Online"),
    Column("address_line_1", "Address line 1", aliases=("address", "address 1", "street")),
    Column("address_line_2", "Address line 2", aliases=("address 2",)),
    Column("town", "Town", aliases=("city", "town or city")),
    Column(
        "postcode",
        "Postcode",
        "The venue's postcode; a personal assistant may give only the district, e.g. NE46",
        required=True,
        aliases=("post code", "postal code", "postal_code"),
    ),
    Column(
        "travel_radius_miles",
        "Travels up to (miles)",
        aliases=("travel radius", "travel radius miles", "miles"),
    ),
    Column(
        "served_local_authorities",
        "Councils served",
        "Council names or ONS codes",
        aliases=("councils", "areas served", "service areas"),
    ),
    Column("days", "Days", "Monday; Tuesday... (or Mon; Tue...)", aliases=("days open",)),
    Column("time_from", "Opens at", aliases=("time from", "start time", "from")),
    Column("time_to", "Closes at", aliases=("time to", "end time", "to")),
    Column("term_time", "Term time", aliases=("in term time",)),
    Column("school_holidays", "School holidays", aliases=("holidays", "in school holidays")),
    Column("overnight", "Overnight", aliases=("overnight stays",)),
    Column("cost_amount", "Cost (£)", aliases=("cost", "price", "cost amount")),
    Column(
        "cost_unit", "Cost per", "Free, hour, session, day or night", aliases=("cost unit", "per")
    ),
    Column("cost_notes", "Cost notes"),
    Column("funding_accepted", "Ways of paying", aliases=("funding", "payment", "ways to pay")),
    Column(
        "capacity_now",
        "Space now",
        "Places or hours a week you can offer now; 0 if full",
        aliases=("capacity", "capacity now", "places"),
    ),
    Column(
        "capacity_unit", "Space counted in", "places or hours a week", aliases=("capacity unit",)
    ),
    Column("languages", "Languages"),
    Column("cultural_notes", "Culture and faith", aliases=("cultural notes",)),
    Column(
        "access_features",
        "Access and sensory features",
        aliases=("access features", "accessibility"),
    ),
    Column("access_notes", "Access notes"),
    Column("contact_name", "Contact name"),
    Column("contact_email", "Contact email", aliases=("email",)),
    Column("contact_phone", "Contact phone", aliases=("phone", "telephone")),
    Column("contact_website", "Contact website", aliases=("website", "url")),
    Column("min_booking_hours", "Shortest booking (hours)", "Short break services"),
    Column("employment", "Employment", "Personal assistants: Self-employed or Through an agency"),
    Column("agency_name", "Agency name", "Personal assistants employed through an agency"),
    Column("gender", "Gender", "Personal assistants: Female, Male, Another gender or blank"),
    Column("hours_available_per_week", "Hours available a week", "Personal assistants"),
    Column(
        "inclusion_support",
        "Inclusion support",
        "Inclusive clubs: the support given so disabled children can join in",
    ),
    Column("extra_worker_available", "Extra 1:1 worker", "Inclusive clubs: Yes or No"),
    Column(
        "assured_date",
        "Last checked",
        "The date the listing was last confirmed accurate",
        aliases=("assured date", "last confirmed", "last checked on"),
    ),
]

COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = [column.header for column in COLUMNS]
TAXONOMY_COLUMNS = (
    "service_types",
    "needs",
    "skills",
    "access_features",
    "languages",
    "funding_accepted",
)
BOOLEAN_COLUMNS = (
    "at_venue",
    "comes_to_family",
    "online",
    "term_time",
    "school_holidays",
    "overnight",
    "extra_worker_available",
)
KIND_FIELDS = {
    ListingKind.SHORT_BREAK: ("min_booking_hours",),
    ListingKind.PERSONAL_ASSISTANT: (
        "employment",
        "agency_name",
        "gender",
        "hours_available_per_week",
    ),
    ListingKind.INCLUSIVE_CLUB: ("inclusion_support", "extra_worker_available"),
}
CHOICE_COLUMNS = {
    "kind": ListingKind,
    "eligibility": Eligibility,
    "cost_unit": CostUnit,
    "capacity_unit": CapacityUnit,
    "employment": PAEmployment,
    "gender": Gender,
}


def normalise_header(text: str) -> str:
    return " ".join(str(text or "").replace("_", " ").replace("\ufeff", "").lower().split())


HEADER_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, _column.header, *_column.aliases):
        HEADER_LOOKUP.setdefault(normalise_header(_name), _column.key)


def guess_mapping(headers: Iterable[str]) -> dict[int, str]:
    """Which field each of a spreadsheet's columns holds, by its heading: {column index: key}.
    A column whose heading is not known, or repeats a field already taken, maps to nothing."""
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        key = HEADER_LOOKUP.get(normalise_header(header))
        if key and key not in taken:
            mapping[index] = key
            taken.add(key)
    return mapping


# --- Writing ---------------------------------------------------------------------------------


def _yes_no(value) -> str:
    return "Yes" if value else "No"


def _names(items) -> str:
    return LIST_SEPARATOR.join(item.name for item in items)


def _plain(html: str) -> str:
    """A rich-text description as plain paragraphs separated by blank lines."""
    paragraphs = re.split(r"</p>\s*|<br\s*/?>|</li>\s*", html or "")
    text = [strip_tags(p).strip() for p in paragraphs]
    return "\n\n".join(unescape(t) for t in text if t)


def listing_queryset(queryset=None):
    """Listings with everything a row needs, in two queries a thousand."""
    queryset = ListingPage.objects.all() if queryset is None else queryset
    return queryset.select_related("organisation", "status").prefetch_related(
        *TAXONOMY_COLUMNS, "served_local_authorities", "days"
    )


def _specifics(listings: list[ListingPage]) -> dict[int, object]:
    ids = [listing.pk for listing in listings]
    found: dict[int, object] = {}
    for model in (ShortBreakServicePage, PersonalAssistantPage, InclusiveClubPage):
        for page in model.objects.filter(pk__in=ids).only(
            "pk", *[f for fields in KIND_FIELDS.values() for f in fields if hasattr(model, f)]
        ):
            found[page.pk] = page
    return found


def listing_row(listing: ListingPage, specific=None) -> dict[str, str]:
    """One listing as the spreadsheet's values, by column key."""
    organisation = listing.organisation
    status = getattr(listing, "status", None)
    specific = specific or listing.specific
    row = {
        "source_id": str(listing.uuid),
        "organisation_id": str(organisation.uuid) if organisation else "",
        "organisation_name": organisation.name if organisation else "",
        "organisation_kind": organisation.get_kind_display() if organisation else "",
        "organisation_email": organisation.email if organisation else "",
        "organisation_phone": organisation.phone if organisation else "",
        "organisation_website": organisation.website if organisation else "",
        "organisation_postcode": organisation.postcode if organisation else "",
        "kind": listing.get_kind_display(),
        "title": listing.title,
        "summary": listing.summary,
        "description": _plain(listing.description),
        "eligibility": listing.get_eligibility_display(),
        "age_min": str(listing.age_min),
        "age_max": str(listing.age_max),
        "address_line_1": listing.address_line_1,
        "address_line_2": listing.address_line_2,
        "town": listing.town,
        "postcode": listing.postcode,
        "travel_radius_miles": _text(listing.travel_radius_miles),
        "served_local_authorities": _names(listing.served_local_authorities.all()),
        "days": _names(listing.days.all()),
        "time_from": listing.time_from.strftime("%H:%M") if listing.time_from else "",
        "time_to": listing.time_to.strftime("%H:%M") if listing.time_to else "",
        "cost_amount": _text(listing.cost_amount),
        "cost_unit": listing.cost_unit,
        "cost_notes": listing.cost_notes,
        "capacity_now": _text(listing.capacity_now),
        "capacity_unit": listing.capacity_unit,
        "cultural_notes": listing.cultural_notes,
        "access_notes": listing.access_notes,
        "contact_name": listing.contact_name,
        "contact_email": listing.contact_email,
        "contact_phone": listing.contact_phone,
        "contact_website": listing.contact_website,
        "assured_date": status.assured_date.isoformat() if status else "",
    }
    for key in TAXONOMY_COLUMNS:
        row[key] = _names(getattr(listing, key).all())
    for key in (
        "at_venue",
        "comes_to_family",
        "online",
        "term_time",
        "school_holidays",
        "overnight",
    ):
        row[key] = _yes_no(getattr(listing, key))
    for key in (f for fields in KIND_FIELDS.values() for f in fields):
        value = getattr(specific, key, None) if listing.kind in _kinds_with(key) else None
        if key in BOOLEAN_COLUMNS:
            row[key] = _yes_no(value) if value is not None else ""
        elif key in CHOICE_COLUMNS:
            row[key] = value or ""
        else:
            row[key] = _text(value)
    return row


def _kinds_with(key: str) -> set[str]:
    return {kind for kind, fields in KIND_FIELDS.items() if key in fields}


def _text(value) -> str:
    """A number without its trailing zeros ("45.00" is "45"); text exactly as it is."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, int | float | Decimal) and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def listing_rows(queryset=None, chunk: int = 500) -> Iterator[list[str]]:
    """The header row, then one row a listing, in the columns' order, a chunk at a time."""
    yield HEADERS
    queryset = listing_queryset(queryset).order_by("pk")
    last = 0
    while True:
        listings = list(queryset.filter(pk__gt=last)[:chunk])
        if not listings:
            return
        specifics = _specifics(listings)
        for listing in listings:
            row = listing_row(listing, specifics.get(listing.pk))
            yield [row[column.key] for column in COLUMNS]
        last = listings[-1].pk
