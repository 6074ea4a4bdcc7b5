"""The Open Referral UK 3.0 API: read-only, public, published listings only.

Every answer is JSON (or NDJSON when streamed), open to any origin. An unknown id is a 404 and
a bad parameter a 400, each with a JSON body saying what was wrong.
"""

import functools

from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .filters import (
    OrganisationDetailForm,
    OrganisationParamsForm,
    ServiceFilter,
    TaxonomyParamsForm,
    TermParamsForm,
)
from .ids import derived, parse
from .locations import service_at_location_json
from .openapi import openapi_document as _openapi_document
from .openapi import openapi_url
from .pagination import MAX_PER_PAGE, MAX_PER_PAGE_MINIMAL, chunks, envelope, ndjson_response
from .queries import join_organisations, nest, organisations, published, services
from .serializers import (
    organization_basic,
    organization_full,
    service_basic,
    service_full,
    service_minimal,
)
from .taxonomies import TAXONOMIES, TAXONOMIES_BY_ID, all_terms, find_term, taxonomy_json, term_json

VERSION = "HSDS-UK-3.0"
PROFILE = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"
# Pages of services in the order listings were added: sorting 100,000 by name for every page
# took longer than a page may (docs/performance.md), and a listing added while a consumer
# pages through goes on the last page instead of moving every page after it.
SERVICE_ORDER = ("pk",)


def error(status: int, message: str, errors=None) -> JsonResponse:
    body = {"status": status, "message": message}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status)


def bad_parameters(form) -> JsonResponse:
    errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    return error(400, "Some query parameters are not valid.", errors)


def api_view(view):
    """GET (and HEAD) only, JSON errors, every answer open to any origin."""

    @functools.wraps(view)
    @csrf_exempt  # read-only: a POST gets the JSON 405 below, not the CSRF page
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = error(405, "This API is read-only: use GET.")
            response["Allow"] = "GET, HEAD"
        else:
            try:
                response = view(request, *args, **kwargs)
            except Http404 as missing:
                response = error(404, str(missing) or "Not found.")
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


def json(data) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def by_uuid(rows, text: str, what: str):
    value = parse(text)
    found = rows.filter(uuid=value).first() if value else None
    if found is None:
        raise Http404(f"There is no published {what} with the id {text[:64]!r}.")
    return found


def page_or_stream(request, form, rows, render, max_per_page=MAX_PER_PAGE):
    data = form.cleaned_data
    if data.get("format") == "ndjson":
        batches = chunks(rows) if not isinstance(rows, list) else [rows]
        return ndjson_response(batches, render)
    return json(envelope(rows, data.get("page"), data.get("per_page"), render, max_per_page))


# --- The API --------------------------------------------------------------------------------


openapi_document = api_view(_openapi_document)


@api_view
def api_details(request):
    return json({"version": VERSION, "profile": PROFILE, "openapi_url": openapi_url(request)})


def _service_list(request, render_full, render_basic, endpoint: str):
    service_filter = ServiceFilter(request.GET, queryset=services())
    if not service_filter.is_valid():
        return bad_parameters(service_filter.form)
    data = service_filter.form.cleaned_data
    rows = service_filter.qs
    on = timezone.localdate()
    max_per_page = MAX_PER_PAGE
    if endpoint == "services" and data.get("minimal"):

        def render(batch):
            return (service_minimal(listing) for listing in batch)

        max_per_page = MAX_PER_PAGE_MINIMAL
    elif data.get("full") or (data.get("format") == "ndjson" and endpoint == "services"):
        known = {}  # what listings link to, read once for every batch of a stream

        def render(batch):
            nest(batch, known)
            return (render_full(listing, request, on) for listing in batch)

    else:

        def render(batch):
            join_organisations(batch)
            return (render_basic(listing, request, on) for listing in batch)

    if data.get("format") != "ndjson":
        rows = rows.order_by(*SERVICE_ORDER)
    return page_or_stream(request, service_filter.form, rows, render, max_per_page)


@api_view
def service_list(request):
    return _service_list(request, service_full, service_basic, "services")


@api_view
def service_detail(request, service_id: str):
    listing = by_uuid(services(), service_id, "service")
    nest([listing])
    return json(service_full(listing, request))


def _sal_full(listing, request, on):
    data = service_at_location_json(listing, full=True)
    data["service"] = service_basic(listing, request, on)
    return data


def _sal_basic(listing, request, on):
    data = service_at_location_json(listing, full=False)
    data["service"] = service_basic(listing, request, on)
    return data


@api_view
def service_at_location_list(request):
    return _service_list(request, _sal_full, _sal_basic, "service_at_locations")


@api_view
def service_at_location_detail(request, sal_id: str):
    value = parse(sal_id)
    if value is not None:
        # The id is derived from the listing's (see `ids`): find the listing that gives it,
        # reading one column of the published listings.
        rows = published().values_list("pk", "uuid").order_by().iterator(chunk_size=2000)
        for pk, listing_uuid in rows:
            if derived(listing_uuid, "service_at_location") == str(value):
                listing = services().get(pk=pk)
                nest([listing])
                return json(_sal_full(listing, request, timezone.localdate()))
    raise Http404(f"There is no published service at location with the id {sal_id[:64]!r}.")


def _organisation_services(organisation, request, full: bool):
    rows = services().filter(organisation=organisation).order_by("title", "pk")
    if full:
        rows = list(rows)
        nest(rows)
        return [service_full(listing, request) for listing in rows]
    return [service_minimal(listing) for listing in rows]


@api_view
def organization_list(request):
    form = OrganisationParamsForm(request.GET)
    if not form.is_valid():
        return bad_parameters(form)
    data = form.cleaned_data
    rows = organisations()
    if data.get("search"):
        rows = rows.filter(name__icontains=data["search"])
    nested = data.get("full") or data.get("full_service")

    def render(batch):
        if not nested:
            return [organization_basic(org, request) for org in batch]
        return [
            organization_full(
                org, request, _organisation_services(org, request, bool(data.get("full_service")))
            )
            for org in batch
        ]

    if data.get("format") != "ndjson":
        rows = rows.order_by("name", "pk")
    return page_or_stream(request, form, rows, render)


@api_view
def organization_detail(request, organization_id: str):
    form = OrganisationDetailForm(request.GET)
    if not form.is_valid():
        return bad_parameters(form)
    organisation = by_uuid(organisations(), organization_id, "organization")
    full_service = bool(form.cleaned_data.get("full_service"))
    return json(
        organization_full(
            organisation, request, _organisation_services(organisation, request, full_service)
        )
    )


@api_view
def taxonomy_list(request):
    form = TaxonomyParamsForm(request.GET)
    if not form.is_valid():
        return bad_parameters(form)
    search = (form.cleaned_data.get("search") or "").lower()
    rows = [t for t in TAXONOMIES if search in t.name.lower() or search in t.description.lower()]
    return page_or_stream(request, form, rows, lambda batch: [taxonomy_json(t) for t in batch])


@api_view
def taxonomy_detail(request, taxonomy_id: str):
    value = parse(taxonomy_id)
    taxonomy = TAXONOMIES_BY_ID.get(str(value)) if value else None
    if taxonomy is None:
        raise Http404(f"There is no taxonomy with the id {taxonomy_id[:64]!r}.")
    return json(taxonomy_json(taxonomy, with_terms=True))


@api_view
def taxonomy_term_list(request):
    form = TermParamsForm(request.GET)
    if not form.is_valid():
        return bad_parameters(form)
    data = form.cleaned_data
    search = (data.get("search") or "").lower()
    rows = [
        term
        for term in all_terms()
        if (not search or search in term.name.lower() or search in term.code)
        and (not data.get("taxonomy_id") or term.taxonomy.id == data["taxonomy_id"])
        # Every term is at the top of its taxonomy: none has a parent.
        and not data.get("parent_id")
    ]
    return page_or_stream(request, form, rows, lambda batch: [term_json(t) for t in batch])


@api_view
def taxonomy_term_detail(request, term_id: str):
    value = parse(term_id)
    term = find_term(str(value)) if value else None
    if term is None:
        raise Http404(f"There is no taxonomy term with the id {term_id[:64]!r}.")
    return json(term_json(term))
