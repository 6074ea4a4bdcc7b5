"""Browsing the directory: filtered, paginated listings by kind and type (the directory
index page's context)."""

from django.core.paginator import Paginator

from .choices import ListingKind
from .filters import BrowseFilter
from .models.listings import ListingPage

PAGE_SIZE = 20


def browse_context(request, directory) -> dict:
    """Context for the directory index: filtered, paginated listings by kind and type."""
    filterset = BrowseFilter(request.GET or None, queryset=ListingPage.objects.in_directory())
    listings = filterset.qs.order_by("title")  # invalid choices are ignored, not an error
    paginator = Paginator(listings.with_card_data(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    kind = filterset.form.cleaned_data.get("kind") if filterset.is_valid() else None
    return {
        "kind_label": ListingKind(kind).label if kind else "",
        "filter": filterset,
        "page_obj": page,
        "listings": page.object_list,
        "kind_counts": ListingPage.objects.in_directory().kind_counts(),
        "kinds": ListingKind,
        "query_string": query.urlencode(),
    }
