"""The dry run and the import itself.

`check` reads every row and says what importing would do (create, update, unchanged, or the
reasons a row cannot be imported) without writing anything. `apply` writes, one row at a time,
each row whole or not at all: a bad row is reported and skipped, the rest go in. Both key
listings and organisations by the source's own ids (`ImportedRecord`), so importing the same
source again updates what it made, and a listing exported from this directory (whose
"Listing id" is its open-data id) updates that listing.
"""

import re
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from core.audit import audit
from directory import services
from directory.models import ListingPage, ListingStatus, Organisation, ProviderPage

from ..models import ImportedRecord, ImportRun
from ..spreadsheet import guess_mapping
from . import sources
from .rows import CleanRow, Lookups, RowError, _fold, clean_row

PROGRESS_EVERY = 25
GENERIC_EMAIL_DOMAINS = {
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "yahoo.com",
    "yahoo.co.uk",
    "icloud.com",
    "btinternet.com",
    "live.co.uk",
    "aol.com",
    "example.org",
    "example.com",
}


@dataclass
class Table:
    """A source read into rows of text by column key."""

    headers: list[str]
    rows: list[dict[str, str]]
    mapping: dict[int, str] = field(default_factory=dict)


def read(run: ImportRun) -> Table:
    """The run's file as rows by column key, by its mapping (spreadsheets) or by the ORUK
    fields (feeds). Raises SourceError when it cannot be read at all."""
    content = bytes(run.content)
    if run.format == ImportRun.Format.ORUK:
        services_ = sources.read_feed(content)
        return Table(headers=[], rows=[sources.service_row(s) for s in services_])
    headers, body = sources.read_table(content, run.format)
    mapping = {int(k): v for k, v in run.mapping.items()} if run.mapping else guess_mapping(headers)
    return Table(headers=headers, rows=sources.rows_by_key(headers, body, mapping), mapping=mapping)


# --- Matching records to what is here --------------------------------------------------------


class Matcher:
    """What a source's ids and names already correspond to in this directory."""

    def __init__(self, source: str):
        self.source = source
        records = ImportedRecord.objects.filter(source=source)
        self.listings = {
            r.external_id: (r.listing_id, r.fingerprint)
            for r in records.filter(kind=ImportedRecord.Kind.LISTING, listing__isnull=False)
        }
        self.organisations = {
            r.external_id: r.organisation_id
            for r in records.filter(kind=ImportedRecord.Kind.ORGANISATION)
        }
        self.organisations_by_name = {}
        self.organisations_by_domain = {}
        for org in Organisation.objects.only("pk", "name", "email", "website", "uuid"):
            self.organisations_by_name.setdefault(_fold(org.name), org.pk)
            for domain in (_email_domain(org.email), _web_host(org.website)):
                if domain:
                    self.organisations_by_domain.setdefault(domain, (org.pk, org.name))

    def listing_for(self, row: CleanRow) -> tuple[int | None, str | None]:
        """The listing this row updates (if any), and its fingerprint when last imported."""
        if row.external_id in self.listings:
            return self.listings[row.external_id]
        try:
            own = uuid.UUID(row.external_id)
        except ValueError:
            return None, None
        found = ListingPage.objects.filter(uuid=own).values_list("pk", flat=True).first()
        return found, None

    def organisation_for(self, organisation: dict) -> int | None:
        external = organisation["external_id"]
        if external and external in self.organisations:
            return self.organisations[external]
        if external:
            try:
                found = Organisation.objects.filter(uuid=uuid.UUID(external)).first()
            except ValueError:
                found = None
            if found is not None:
                return found.pk
        return self.organisations_by_name.get(_fold(organisation["name"]))

    def possible_duplicate(self, organisation: dict) -> str:
        """The name of an organisation here that a new one from the source may be."""
        for domain in (_email_domain(organisation["email"]), _web_host(organisation["website"])):
            if domain and domain in self.organisations_by_domain:
                return self.organisations_by_domain[domain][1]
        return ""


def _email_domain(email: str) -> str:
    domain = (email or "").rpartition("@")[2].lower()
    return "" if not domain or domain in GENERIC_EMAIL_DOMAINS else domain


def _web_host(url: str) -> str:
    host = urllib.parse.urlsplit(url or "").hostname or ""
    return re.sub(r"^www\.", "", host.lower())


# --- The dry run -----------------------------------------------------------------------------


def check(run: ImportRun) -> dict:
    """What importing the run would do, row by row. Writes nothing but the run's preview."""
    table = read(run)
    lookups = Lookups()
    matcher = Matcher(run.source)
    counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0}
    lines = []
    seen: dict[str, int] = {}
    new_organisations: dict[str, dict] = {}
    for index, values in enumerate(table.rows):
        number = index + 2
        line = {
            "row": number,
            "title": values.get("title", "")[:120],
            "organisation": values.get("organisation_name", "")[:120],
        }
        try:
            row = clean_row(number, values, lookups)
            if row.external_id in seen:
                raise RowError([f"Repeats the listing of row {seen[row.external_id]}"])
        except RowError as error:
            counts["error"] += 1
            line.update(outcome="error", messages=error.messages)
            lines.append(line)
            continue
        seen[row.external_id] = number
        listing_id, last = matcher.listing_for(row)
        if listing_id is None:
            outcome = "create"
        elif last == row.fingerprint:
            outcome = "unchanged"
        else:
            outcome = "update"
        counts[outcome] += 1
        messages = list(row.warnings)
        if matcher.organisation_for(row.organisation) is None:
            key = row.organisation["external_id"] or _fold(row.organisation["name"])
            if key not in new_organisations:
                new_organisations[key] = {
                    "name": row.organisation["name"],
                    "duplicate_of": matcher.possible_duplicate(row.organisation),
                    "kind_assumed": row.organisation["kind_assumed"],
                }
                if row.organisation["kind_assumed"]:
                    messages.append(
                        f"New organisation: kind not given, recorded as "
                        f"{row.organisation['kind_assumed']}"
                    )
        line.update(outcome=outcome, messages=messages)
        lines.append(line)
    preview = {
        "counts": counts,
        "rows": lines,
        "new_organisations": list(new_organisations.values()),
        "possible_duplicates": [o for o in new_organisations.values() if o["duplicate_of"]],
        "headers": table.headers,
        "mapping": {str(k): v for k, v in table.mapping.items()},
    }
    run.preview = preview
    run.headers = table.headers
    run.mapping = preview["mapping"]
    run.total = len(table.rows)
    run.save(update_fields=["preview", "headers", "mapping", "total"])
    return preview


# --- The import ------------------------------------------------------------------------------


def apply(run: ImportRun, *, user, progress: Callable[[int], None] | None = None) -> dict:
    """Import the run's rows: each row whole or not at all. Returns counts and row errors."""
    table = read(run)
    lookups = Lookups()
    matcher = Matcher(run.source)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "error": 0}
    errors = []
    seen: set[str] = set()
    organisations: dict[str, Organisation] = {}
    for index, values in enumerate(table.rows):
        number = index + 2
        try:
            row = clean_row(number, values, lookups)
            if row.external_id in seen:
                raise RowError(["Repeats an earlier row's listing"])
            seen.add(row.external_id)
            with transaction.atomic():
                outcome = _write(row, run, user, matcher, organisations)
            counts[outcome] += 1
        except RowError as error:
            counts["error"] += 1
            errors.append({"row": number, "messages": error.messages})
        except Exception as error:  # noqa: BLE001 - one bad row never stops the rest
            counts["error"] += 1
            errors.append({"row": number, "messages": [_unexpected(error)]})
        if progress and (index + 1) % PROGRESS_EVERY == 0:
            progress(index + 1)
    if progress:
        progress(len(table.rows))
    return {"counts": counts, "errors": errors}


def _unexpected(error: Exception) -> str:
    """A row that failed for a reason the checks did not foresee: the kind of error only, as
    its text may hold the row's contents."""
    return f"Could not be saved ({type(error).__name__}); check the row and import it again"


def _write(row: CleanRow, run: ImportRun, user, matcher: Matcher, cache: dict) -> str:
    listing_id, last = matcher.listing_for(row)
    if listing_id is not None and last == row.fingerprint:
        return "unchanged"
    organisation = _organisation(row, run, user, matcher, cache)
    if listing_id is None:
        page = _create(row, organisation, run, user)
        outcome = "created"
    else:
        page = _update(listing_id, row, run, user)
        outcome = "updated"
    ImportedRecord.objects.update_or_create(
        source=run.source,
        kind=ImportedRecord.Kind.LISTING,
        external_id=row.external_id,
        defaults={"listing": page, "fingerprint": row.fingerprint, "run": run},
    )
    matcher.listings[row.external_id] = (page.pk, row.fingerprint)
    return outcome


def _organisation(row: CleanRow, run: ImportRun, user, matcher: Matcher, cache: dict):
    data = row.organisation
    key = data["external_id"] or _fold(data["name"])
    if key in cache:
        return cache[key]
    found = matcher.organisation_for(data)
    if found is not None:
        organisation = Organisation.objects.get(pk=found)
    else:
        organisation = services.organisation_create(
            name=data["name"],
            kind=data["kind"],
            email=data["email"],
            phone=data["phone"],
            website=data["website"],
            postcode=data["postcode"],
        )
        audit(
            actor=user,
            action="organisation_imported",
            obj=organisation,
            summary=f"Imported from {run.source}",
        )
        matcher.organisations_by_name.setdefault(_fold(organisation.name), organisation.pk)
    if data["external_id"]:
        ImportedRecord.objects.update_or_create(
            source=run.source,
            kind=ImportedRecord.Kind.ORGANISATION,
            external_id=data["external_id"],
            defaults={"organisation": organisation, "run": run},
        )
        matcher.organisations[data["external_id"]] = organisation.pk
    cache[key] = organisation
    return organisation


def _set_relations(page, row: CleanRow) -> None:
    for name, values in row.relations.items():
        setattr(page, name, values)


def _create(row: CleanRow, organisation: Organisation, run: ImportRun, user) -> ListingPage:
    from directory.models import LISTING_MODELS

    parent = ProviderPage.objects.get(organisation=organisation)
    page = LISTING_MODELS[row.kind](live=False, organisation=organisation, **row.fields)
    parent.add_child(instance=page)
    _set_relations(page, row)
    _finish(page, row, run, user, created=True)
    return page


def _update(listing_id: int, row: CleanRow, run: ImportRun, user) -> ListingPage:
    listing = ListingPage.objects.get(pk=listing_id).specific
    page = listing.get_latest_revision_as_object()
    for name, value in row.fields.items():
        setattr(page, name, value)
    _set_relations(page, row)
    _finish(page, row, run, user, created=False)
    return listing


def _finish(page, row: CleanRow, run: ImportRun, user, *, created: bool) -> None:
    """Publish (staff chose to) or send to the council's moderators, as a provider's change
    would be; then keep the source's last-checked date."""
    revision = page.save_revision(user=user, log_action=True, clean=False)
    if run.publish:
        revision.publish(user=user)
        if row.assured_date:
            ListingStatus.objects.update_or_create(
                listing_id=page.pk, defaults={"assured_date": min(row.assured_date, _today())}
            )
    else:
        workflow = page.get_workflow()
        if workflow is not None and not page.workflow_in_progress:
            workflow.start(page, user)
    audit(
        actor=user,
        action="listing_imported",
        obj=page,
        summary=f"{'Imported' if created else 'Updated'} from {run.source}"
        + (" and published" if run.publish else ", sent to moderation"),
    )


def _today():
    return timezone.localdate()
