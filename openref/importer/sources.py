"""Reading what council staff bring: a spreadsheet (CSV or XLSX) or an Open Referral UK feed.

Everything becomes rows of text by column key (the spreadsheet's columns, openref/spreadsheet.py),
so one path checks and writes them whatever their origin.
"""

import csv
import datetime
import io
import ipaddress
import json
import re
import socket
import urllib.parse
import urllib.request
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from directory.choices import ListingKind

from ..serializers import INCLUSION_PREFIX
from ..spreadsheet import LIST_SEPARATOR
from ..taxonomies import TAXONOMIES_BY_ID, find_term

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
FEED_TIMEOUT = 20
FEED_MAX_PAGES = 2_000


class SourceError(ValueError):
    """A file or feed that cannot be read at all, with a message staff can act on."""


# --- Spreadsheets ----------------------------------------------------------------------------


def read_table(content: bytes, format: str) -> tuple[list[str], list[list[str]]]:
    """The header row and the data rows of a CSV or XLSX file, as text."""
    if format == "xlsx":
        return _read_xlsx(content)
    return _read_csv(content)


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceError("The file is not text: save the spreadsheet as CSV (UTF-8) and try again")


def _read_csv(content: bytes) -> tuple[list[str], list[list[str]]]:
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as error:
        raise SourceError(f"The CSV file could not be read: {error}") from error
    return _split(rows)


def _read_xlsx(content: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise SourceError(
            "The file is not an Excel workbook (.xlsx): save it as .xlsx or CSV and try again"
        ) from error
    sheet = book.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append([_cell_text(value) for value in values])
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    return _split(rows)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def _split(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    rows = [row for row in rows if any(str(cell).strip() for cell in row)]
    if not rows:
        raise SourceError("The file is empty: it needs a row of column names, then a row a listing")
    if len(rows) > MAX_ROWS + 1:
        raise SourceError(f"The file has more than {MAX_ROWS:,} rows: split it and import each")
    headers = [str(cell).strip() for cell in rows[0]]
    width = len(headers)
    body = [
        [str(cell).strip() for cell in row[:width]] + [""] * (width - len(row)) for row in rows[1:]
    ]
    return headers, body


def rows_by_key(headers, body, mapping: dict[int, str]) -> list[dict[str, str]]:
    """Each data row as {column key: text}, by the chosen mapping of column index to key."""
    return [{key: row[index] for index, key in mapping.items() if index < len(row)} for row in body]


# --- Open Referral UK feeds ------------------------------------------------------------------


def fetch_feed(url: str) -> bytes:
    """Every service of an ORUK 3.0 feed, fully nested, as NDJSON bytes (one service a line).

    `url` is the feed's root (".../api/openreferral/") or its services list. Reads the pages
    with `full=true` until the last; only http(s), never an address inside this network."""
    parsed = urllib.parse.urlsplit(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise SourceError("Enter the feed's web address, starting https://")
    _refuse_private_address(parsed.hostname)
    base = url.strip().rstrip("/")
    if not base.endswith("/services"):
        base += "/services"
    lines: list[bytes] = []
    size = 0
    for page in range(1, FEED_MAX_PAGES + 1):
        query = urllib.parse.urlencode({"full": "true", "per_page": 100, "page": page})
        body = _get(f"{base}?{query}")
        size += len(body)
        if size > MAX_BYTES:
            raise SourceError("The feed is larger than 50 MB: ask its publisher for a file")
        try:
            listing = json.loads(body)
        except ValueError as error:
            raise SourceError(f"The feed's page {page} is not JSON") from error
        if not isinstance(listing, dict) or not isinstance(listing.get("contents"), list):
            raise SourceError("The address does not answer as an Open Referral UK services list")
        lines.extend(json.dumps(service).encode() for service in listing["contents"])
        if listing.get("last_page", True) or not listing["contents"]:
            break
    return b"\n".join(lines)


def _refuse_private_address(host: str) -> None:
    """Staff may only point the import at the public internet, never at this server's own
    network (a feed address is fetched by the server)."""
    from django.conf import settings

    if host in getattr(settings, "IMPORT_FEED_ALLOWED_HOSTS", ()):
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError as error:
        raise SourceError(f"The feed's address {host} could not be found") from error
    for address in addresses:
        ip = ipaddress.ip_address(address)
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved:
            raise SourceError(f"The feed's address {host} is not on the public internet")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """A feed may move, but not into this server's own network."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        parsed = urllib.parse.urlsplit(newurl)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise SourceError("The feed moved to an address that is not a web address")
        _refuse_private_address(parsed.hostname)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_CheckedRedirects)


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with _opener.open(request, timeout=FEED_TIMEOUT) as response:
            return response.read(MAX_BYTES + 1)
    except OSError as error:
        raise SourceError(f"The feed could not be read ({error})") from error


def read_feed(content: bytes) -> list[dict]:
    """Services from a feed file: NDJSON (one service a line), a services list page, a list of
    services, or one service."""
    text = _decode(content).strip()
    if not text:
        raise SourceError("The feed file is empty")
    try:
        document = json.loads(text)
    except ValueError:
        try:
            document = [json.loads(line) for line in text.splitlines() if line.strip()]
        except ValueError as error:
            raise SourceError("The feed file is neither JSON nor NDJSON") from error
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        document = document["contents"]
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list) or not all(isinstance(s, dict) for s in document):
        raise SourceError("The feed file does not hold Open Referral UK services")
    if len(document) > MAX_ROWS:
        raise SourceError(f"The feed has more than {MAX_ROWS:,} services")
    return document


def _join(values) -> str:
    return LIST_SEPARATOR.join(v for v in values if v)


def _first(items):
    return items[0] if isinstance(items, list) and items else {}


ORUK_DAYS = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
             "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}  # fmt: skip
ORUK_COST_UNITS = {"hour": "hour", "session": "session", "day": "day", "night": "night"}
# Our taxonomies, by their published id, to the column whose names they fill.
TAXONOMY_COLUMN = {
    "service-types": "service_types",
    "needs": "needs",
    "skills": "skills",
    "access-features": "access_features",
    "ways-of-paying": "funding_accepted",
}
# The council verifies checks itself: a feed's claims about DBS checks and awards are not taken.
NOT_IMPORTED_TAXONOMIES = {"checks-and-awards"}


def service_row(service: dict) -> dict[str, str]:
    """One ORUK service (fully nested) as a spreadsheet row by column key."""
    organisation = service.get("organization") or {}
    sal = _first(service.get("service_at_locations"))
    location = sal.get("location") or _first(service.get("locations")) or {}
    address = _first(location.get("addresses"))
    contact = _first(service.get("contacts"))
    phone = _first(contact.get("phones")) or _first(service.get("phones"))
    cost = _first(service.get("cost_options"))
    schedule = _first(service.get("schedules"))
    postcode = (address.get("postal_code") or "").strip()
    district_only = " " not in postcode and len(postcode) <= 4
    row = {
        "source_id": str(service.get("id") or ""),
        "organisation_id": str(organisation.get("id") or ""),
        "organisation_name": organisation.get("name") or "",
        "organisation_email": organisation.get("email") or "",
        "organisation_website": organisation.get("website") or "",
        "organisation_phone": (_first(organisation.get("phones")) or {}).get("number", ""),
        "title": service.get("name") or "",
        "postcode": postcode,
        # A venue with no street of its own is published under its name (address_1 is
        # required): that is not an address line to keep.
        "address_line_1": ""
        if district_only or address.get("address_1") == service.get("name")
        else address.get("address_1") or "",
        "address_line_2": "" if district_only else address.get("address_2") or "",
        "town": "" if district_only else address.get("city") or "",
        "contact_name": contact.get("name") or "",
        "contact_email": contact.get("email") or service.get("email") or "",
        "contact_phone": (phone or {}).get("number", ""),
        "contact_website": service.get("url") or "",
        "assured_date": (service.get("assured_date") or "")[:10],
        "languages": _join(lang.get("name", "") for lang in service.get("languages") or []),
    }
    if "minimum_age" in service:
        row["age_min"] = str(service["minimum_age"])
    if "maximum_age" in service:
        row["age_max"] = str(service["maximum_age"])
    row.update(_texts(service))
    if cost:
        row.update(_cost(cost))
    if schedule:
        row.update(_schedule(schedule))
    row.update(_attributes(service))
    councils = []
    for area in service.get("service_areas") or []:
        travel = TRAVEL_RE.match(area.get("name") or "")
        if travel:
            row["travel_radius_miles"] = travel.group(1)
        elif ONS_CODE_RE.search(area.get("uri") or ""):
            councils.append(ONS_CODE_RE.search(area["uri"]).group(0))
        elif area.get("name"):
            councils.append(area["name"])
    if councils:
        row["served_local_authorities"] = _join(councils)
    return {key: value.strip() if isinstance(value, str) else value for key, value in row.items()}


SUPPORT_PREFIX = INCLUSION_PREFIX


def _texts(service: dict) -> dict[str, str]:
    """Summary, description and (for clubs) inclusion support from the service's description,
    as this product publishes it: the summary, then the description's paragraphs, then
    "Support to join in: ..."; another publisher's `summary` is used when it has one."""
    paragraphs = [p.strip() for p in (service.get("description") or "").split("\n\n")]
    paragraphs = [p for p in paragraphs if p]
    support = [p for p in paragraphs if p.startswith(SUPPORT_PREFIX)]
    paragraphs = [p for p in paragraphs if not p.startswith(SUPPORT_PREFIX)]
    summary = (service.get("summary") or "").strip()
    if not summary and paragraphs and len(paragraphs[0]) <= 300:
        summary = paragraphs.pop(0)
    elif not summary and paragraphs:
        words = " ".join(paragraphs[0].split())
        summary = words[:297].rsplit(" ", 1)[0] + "..."
    row = {"summary": summary, "description": "\n\n".join(paragraphs)}
    if support:
        row["inclusion_support"] = support[0][len(SUPPORT_PREFIX) :]
    return row


def _cost(cost: dict) -> dict[str, str]:
    option = (cost.get("option") or "").strip()
    described = (cost.get("amount_description") or "").strip().lower()
    amount = cost.get("amount")
    if described == "free" or (not amount and "free" in (option.lower() or described)):
        return {"cost_unit": "free", "cost_notes": option}
    unit = "session"
    for word, value in ORUK_COST_UNITS.items():
        if word in described or (word in option.lower() and unit == "session"):
            unit = value
            break
    return {
        "cost_amount": "" if amount is None else str(amount),
        "cost_unit": unit,
        "cost_notes": option,
    }


ONS_CODE_RE = re.compile(r"\bE0[6-9]\d{6}\b")
TRAVEL_RE = re.compile(r"^Within (\d+) miles? of", re.IGNORECASE)


def _schedule(schedule: dict) -> dict[str, str]:
    days = [ORUK_DAYS[d] for d in (schedule.get("byday") or "").split(",") if d in ORUK_DAYS]
    row = {"days": _join(days)}
    for key, field in (("opens_at", "time_from"), ("closes_at", "time_to")):
        if schedule.get(key):
            row[field] = str(schedule[key])[:5]
    description = (schedule.get("description") or "").lower()
    if description:
        row["term_time"] = "Yes" if "term time" in description else "No"
        row["school_holidays"] = "Yes" if "holiday" in description else "No"
        row["overnight"] = "Yes" if "overnight" in description else "No"
    return row


def _attributes(service: dict) -> dict[str, str]:
    """Kind, delivery and our taxonomies' terms, from the service's attributes; terms of
    another publisher's taxonomies are matched to ours by name when they can be."""
    row: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    delivery = set()
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        term_id = attribute.get("taxonomy_term_id") or term.get("id") or ""
        ours = find_term(term_id) if term_id and not term else None
        if ours is not None:
            taxonomy_id, name = ours.taxonomy.id, ours.name
        else:
            taxonomy_id = term.get("taxonomy_id") or ""
            name = term.get("name") or term.get("term") or attribute.get("value") or ""
        taxonomy = TAXONOMIES_BY_ID.get(taxonomy_id)
        code = taxonomy.key if taxonomy else ""
        if code in NOT_IMPORTED_TAXONOMIES:
            continue
        if code == "kinds":
            row["kind"] = name
        elif code == "delivery":
            delivery.add(name.lower())
        elif code in TAXONOMY_COLUMN:
            names.setdefault(TAXONOMY_COLUMN[code], []).append(name)
        elif name:
            # Another publisher's term: matched to ours by name when checked, or reported.
            names.setdefault("other_terms", []).append(name)
    if delivery:
        row["at_venue"] = "Yes" if any("venue" in d for d in delivery) else "No"
        row["comes_to_family"] = "Yes" if any("comes" in d for d in delivery) else "No"
        row["online"] = "Yes" if any("online" in d for d in delivery) else "No"
    if row.get("kind", "").lower() == ListingKind.PERSONAL_ASSISTANT.label.lower():
        row.setdefault("organisation_kind", "Self-employed personal assistant")
    for column, values in names.items():
        row[column] = _join(values)
    return row
