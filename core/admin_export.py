"""Downloading an admin list as a spreadsheet, CSV or XLSX, with the list's filters, search and
ordering applied, on Wagtail's `SpreadsheetExportMixin` (whose "Download CSV" and "Download
XLSX" buttons show on a list once `list_export` is set).

What this adds to Wagtail's export:

- Nothing a spreadsheet would run. Text that starts with =, +, -, @, a tab or a line break
  (a provider can name a listing `=HYPERLINK(...)`) is written to a CSV with a leading
  apostrophe, so a spreadsheet shows it as text (OWASP's advice on CSV injection). Wagtail
  writes CSVs as they are. In an XLSX every text is a text cell, never a formula (Wagtail does
  this for "="; here for every text), and such text is also marked "quote prefix", so editing
  the cell in a spreadsheet keeps it text; its value is unchanged.
- The export is read a chunk at a time and the CSV streamed, so a long list does not sit in
  memory; the XLSX is written by openpyxl's write-only workbook to a temporary file.
- `may_export(user)` can narrow who may download a list below who may see it.
- `export_rows` may be overridden to write a spreadsheet the list's columns do not describe.
- A CSV starts with a byte order mark, so spreadsheets read it as UTF-8 (£, •, accents).
"""

import csv
import datetime
import itertools
import tempfile
from collections.abc import Iterable, Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from wagtail.admin.views.mixins import ExcelDateFormatter, SpreadsheetExportMixin, list_to_str

from core.dates import today

# What a spreadsheet may take for the start of a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
CHUNK_SIZE = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def defuse(value):
    """Text a spreadsheet would read as a formula, with a leading apostrophe; else as it is."""
    return "'" + value if is_formula_like(value) else value


def chunks(items: Iterable, size: int = CHUNK_SIZE) -> Iterator[list]:
    """`items` in lists of at most `size`."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def yes_no(value) -> str:
    return "Yes" if value else "No"


def local_date(value: datetime.datetime | None) -> datetime.date | None:
    """A moment as the day it was in the site's time zone."""
    return timezone.localdate(value) if value else None


class _Echo:
    """A file for csv.writer that hands each line back instead of storing it."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    """A CSV file, a line at a time, formulas defused."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow([defuse(value) for value in row])


def xlsx_cell(worksheet, value, date_format: str):
    """A cell for a write-only sheet: text always a text cell, never a formula."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
    cell = WriteOnlyCell(worksheet, value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    elif isinstance(value, datetime.datetime):
        cell.number_format = date_format
    return cell


def write_xlsx(rows: Iterable[list], output, title: str = "Sheet1"):
    workbook = Workbook(write_only=True, iso_dates=True)
    worksheet = workbook.create_sheet(title=title)
    date_format = ExcelDateFormatter().get()
    for row in rows:
        worksheet.append([xlsx_cell(worksheet, value, date_format) for value in row])
    workbook.save(output)


def _naive_local(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_naive(value) if timezone.is_aware(value) else value


class SpreadsheetExport(SpreadsheetExportMixin):
    """An admin list that downloads as CSV or XLSX (`?export=csv`, `?export=xlsx`): the rows
    the list shows, every page of them. Put it first among a view's bases: on a staff list
    (`StaffListingView`) or a model viewset's index view (Wagtail's `IndexView`).

    Set `list_export` (fields, dotted paths or callables of a row), `export_headings` and
    `export_filename`; or override `to_row_dict`, `export_items` or `export_rows`."""

    export_chunk_size = CHUNK_SIZE
    custom_value_preprocess = {
        datetime.datetime: {SpreadsheetExportMixin.FORMAT_XLSX: _naive_local},
        (datetime.date, datetime.time): {SpreadsheetExportMixin.FORMAT_XLSX: None},
        list: {
            SpreadsheetExportMixin.FORMAT_CSV: list_to_str,
            SpreadsheetExportMixin.FORMAT_XLSX: list_to_str,
        },
    }

    def may_export(self, user) -> bool:
        """Who may download the list: whoever may see it, unless a view says fewer."""
        return True

    @cached_property
    def show_export_buttons(self):
        return bool(self.list_export) and self.may_export(self.request.user)

    def get(self, request, *args, **kwargs):
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        if not self.list_export:
            raise Http404("This list has no spreadsheet")
        if not self.may_export(request.user):
            raise PermissionDenied
        # Straight from the filtered, searched, ordered queryset: never the page's context,
        # which would read every row into memory to count them.
        return self.as_spreadsheet(self.get_queryset(), request.GET["export"])

    def get_filename(self):
        """`export_filename` and today's date: "organisations-2026-05-01"."""
        return f"{self.export_filename}-{today().isoformat()}"

    def export_items(self, queryset) -> Iterable:
        """The rows to write, read a chunk at a time."""
        if isinstance(queryset, QuerySet):
            return queryset.iterator(chunk_size=self.export_chunk_size)
        return queryset

    def export_header(self, queryset) -> list[str]:
        return [self.get_heading(queryset, field) for field in self.list_export]

    def export_rows(self, queryset, export_format: str) -> Iterator[list]:
        """The heading row, then one row an item, each value made ready for the format."""
        yield self.export_header(queryset)
        for item in self.export_items(queryset):
            yield [
                self.preprocess_field_value(field, value, export_format)
                for field, value in self.to_row_dict(item).items()
            ]

    def write_csv_response(self, queryset):
        response = StreamingHttpResponse(
            csv_lines(self.export_rows(queryset, self.FORMAT_CSV)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{self.get_filename()}.csv"
        )
        return response

    def write_xlsx_response(self, queryset):
        output = tempfile.TemporaryFile()  # gone once the response has sent and closed it
        write_xlsx(self.export_rows(queryset, self.FORMAT_XLSX), output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type=XLSX_CONTENT_TYPE,
            filename=f"{self.get_filename()}.xlsx",
        )
