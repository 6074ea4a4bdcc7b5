"""Pages and streams: the Open Referral UK list envelope, and `format=ndjson`.

A page reads only its own rows. A stream reads the whole list in chunks, keyed on the primary
key, so the server's memory does not grow with the directory.
"""

import json
import math
from collections.abc import Callable, Iterable, Iterator

from django import forms
from django.http import StreamingHttpResponse

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PER_PAGE_MINIMAL = 1000
MAX_PAGE = 1_000_000
CHUNK = 200


class StrictBooleanField(forms.Field):
    """true/false (or 1/0, yes/no); anything else is a bad request, not silently false."""

    TRUE = {"true", "1", "yes"}
    FALSE = {"false", "0", "no"}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Enter true or false.", code="invalid")


class PageForm(forms.Form):
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    per_page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    format = forms.ChoiceField(required=False, choices=[("json", "json"), ("ndjson", "ndjson")])


def envelope(
    rows, page: int | None, per_page: int | None, render: Callable, max_per_page: int = MAX_PER_PAGE
) -> dict:
    """`rows` is a queryset or a list; `render` turns one page's rows into JSON objects (an
    iterable: a stream writes each as it is made)."""
    page = page or 1
    per_page = min(per_page or DEFAULT_PER_PAGE, max_per_page)
    total = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
    total_pages = math.ceil(total / per_page)
    start = (page - 1) * per_page
    contents = list(render(page_rows(rows, start, per_page, total))) if start < total else []
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }


def page_rows(rows, start: int, size: int, total: int | None = None) -> list:
    """One page of `rows`. A queryset's page is found by primary key first, a narrow query
    the database sorts and skips through cheaply, then only those rows are read in full with
    what they join. A page in the second half is counted from the end (given the `total`), so
    the database skips at most half the rows."""
    if isinstance(rows, list):
        return rows[start : start + size]
    ids = rows.prefetch_related(None).values_list("pk", flat=True)
    if total is not None and start > total // 2 and rows.ordered:
        end = min(start + size, total)
        found_ids = list(ids.reverse()[total - end : total - start])[::-1]
    else:
        found_ids = list(ids[start : start + size])
    found = {row.pk: row for row in rows.filter(pk__in=found_ids).order_by()}
    return [found[pk] for pk in found_ids if pk in found]


def chunks(queryset, size: int = CHUNK) -> Iterator[list]:
    """The queryset's rows, `size` at a time, in primary-key order (keyset: no OFFSET)."""
    ordered = queryset.order_by("pk")
    last = None
    while True:
        window = ordered if last is None else ordered.filter(pk__gt=last)
        rows = list(window[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def ndjson_response(batches: Iterable[list], render: Callable) -> StreamingHttpResponse:
    """One JSON object a line, every row, no pages."""

    def lines():
        for batch in batches:
            for item in render(batch):
                yield json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n"

    return StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
