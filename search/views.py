"""The family's search page. Thin: validate the form, build a query, run it, show it."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from directory.badges import dbs_badge, freshness_badge
from directory.models import ListingPage

from .backends import run
from .demand import record_if_unmet
from .filters import SearchFilter
from .gazetteer import PostcodeError
from .places import place_from_postcode
from .query import SearchQuery

MAX_PAGE = 500
PAGE_SIZE = 20


def page_number(value) -> int:
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


@require_GET
def search(request):
    filterset = SearchFilter(request.GET or None, queryset=ListingPage.objects.none())
    context = {"filter": filterset, "searched": False}
    if filterset.is_bound and filterset.form.is_valid():
        postcode = filterset.form.cleaned_data.get("postcode") or ""
        if not postcode.strip():
            filterset.form.add_error("postcode", "Enter your postcode, like NE46 1AA")
        else:
            try:
                place, classification = place_from_postcode(postcode)
            except PostcodeError as error:
                filterset.form.add_error("postcode", str(error))
            else:
                filters, options = filterset.criteria()
                query = SearchQuery(
                    place=place,
                    filters=filters,
                    page=page_number(request.GET.get("page")),
                    page_size=PAGE_SIZE,
                    **options,
                )
                results = run(query)
                attach_listings(results)
                record_if_unmet(results, classification.method)
                context.update(
                    searched=True,
                    results=results,
                    place=place,
                    classification=classification,
                    pages=pagination(request, results),
                )
    return render(request, "search/results.html", context)


def attach_listings(results):
    ids = [m.listing_id for m in results.matches]
    listings = ListingPage.objects.filter(pk__in=ids).with_card_data().in_bulk()
    for match in results.matches:
        match.listing = listings.get(match.listing_id)
        status = getattr(match.listing, "status", None)
        match.dbs = dbs_badge(status)
        match.freshness = freshness_badge(status)
    results.matches = [m for m in results.matches if m.listing is not None]


def pagination(request, results) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    size = results.query.page_size
    pages = max(1, -(-results.total // size))
    number = results.query.page
    return {
        "number": number,
        "count": pages,
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < pages else None,
        "query_string": query.urlencode(),
    }
