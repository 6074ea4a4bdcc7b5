"""The family's search page. Thin: validate the form, build a query, run it, show it."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from geopy.distance import geodesic

from directory.badges import dbs_badge, freshness_badge
from directory.models import ListingPage
from gazetteer import place_search
from gazetteer.lookup import NotAPostcode, PostcodeError, local_authority_name
from gazetteer.models import PlaceName, Postcode

from . import shortlist
from .api import run
from .demand import record_if_unmet
from .filters import FACET_FIELDS, SearchFilter, show_facet_counts
from .geocoding import geocode_place
from .next_steps import next_steps
from .places import (
    classify,
    home_centres,
    place_from_place_name,
    place_from_postcode,
    place_labels,
)
from .query import Mode, Place, SearchQuery, Sort, bounding_box, miles_words

MAX_PAGE = 500
PAGE_SIZE = 20


def page_number(value) -> int:
    try:
        return min(max(1, int(value)), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


@require_GET
def search(request):
    data = None
    if request.GET:
        # What the search did when the family left these out, ticked as the answers they are.
        data = request.GET.copy()
        data.setdefault("mode", Mode.BOTH)
        data.setdefault("sort", Sort.DISTANCE)
    filterset = SearchFilter(data, queryset=ListingPage.objects.none())
    advanced = set(FACET_FIELDS) | {"type", "day", "open_at", "when", "overnight", "max_cost"}
    advanced |= {"verified_dbs", "kitemarked", "free", "has_space", "q"}
    context = {
        "filter": filterset,
        "searched": False,
        "more_open": any(request.GET.get(name) for name in advanced),
    }
    if filterset.is_bound and filterset.form.is_valid():
        postcode = filterset.form.cleaned_data.get("postcode") or ""
        if not postcode.strip():
            filterset.form.add_error("postcode", "Enter your postcode, like NE46 3NR")
        else:
            try:
                place, classification = place_from_postcode(postcode)
            except NotAPostcode as error:
                place, classification, ref, found = place_from_words(
                    postcode, request.GET.get("place", "")
                )
                if ref:
                    # Kept in the form and links, so refining, paging, sorting and sharing
                    # stay at this very place.
                    context["chosen_place"] = ref
                if found is not None:
                    context.update(place_choice_context(request, postcode.strip(), found))
                elif place is None and any(c.isdigit() for c in postcode):
                    filterset.form.add_error("postcode", str(error))  # a postcode mistyped
                elif place is None:
                    filterset.form.add_error(
                        "postcode",
                        f"We could not find a place called {postcode.strip()}. Enter a "
                        "postcode, like NE46 3NR, or the name of a town or village",
                    )
            except PostcodeError as error:
                place = None  # well formed but unknown, no longer used or outside England
                filterset.form.add_error("postcode", str(error))
            if place is not None:
                filters, options = filterset.criteria()
                query = SearchQuery(
                    place=place,
                    filters=filters,
                    page=page_number(request.GET.get("page")),
                    page_size=PAGE_SIZE,
                    **options,
                )
                results = run(query)
                attach_listings(results, request)
                record_if_unmet(results, classification.method)
                show_facet_counts(filterset.form, results.facets)
                context.update(
                    searched=True,
                    results=results,
                    place=place,
                    classification=classification,
                    pages=pagination(request, results),
                    next_steps=next_steps(filterset.form, request.GET, place, results),
                )
    return render(request, "search/results.html", context)


def place_from_words(text: str, chosen: str):
    """A place typed instead of a postcode: (place, classification, ref, found). `chosen` (the
    `place` parameter, a place's lasting reference) is searched from if the words typed fit
    it; else one place with that name (or another name of it) is searched from; several, or
    names that only start with the words or are one slip away, are offered as `found`. With
    none, the online geocoder where the council has turned it on."""
    chosen = chosen.strip()[:20]
    picked = PlaceName.objects.filter(ref=chosen).first() if chosen else None
    if picked is None or not place_search.answers_to(picked, text):
        found = place_search.find(text, home_centres())
        picked = None
        if found.how == place_search.EXACT and len(found.places) == 1:
            picked = found.places[0]  # the very name: a name that only starts with it is
            # offered, so "Leeds" never silently searches from "Leeds and Langley" in Kent
        elif found.places:
            return None, None, "", found
    if picked is not None:
        place, classification = place_from_place_name(picked)
        return place, classification, picked.ref, None
    place, classification = place_from_name(text)
    return place, classification, "", None


def place_choice_context(request, text: str, found) -> dict:
    """The choice of places: radios in a form that sends the family's query again with the
    place chosen (without JavaScript), or one place to confirm."""
    labels = place_labels(found.places)
    choices = [{"ref": p.ref, "label": labels[p.pk]} for p in found.places]
    keep = [
        (name, value)
        for name, values in request.GET.lists()
        if name not in ("place", "page", "choose")
        for value in values
    ]
    if len(choices) == 1:
        heading = f"Did you mean {choices[0]['label']}?"
    elif found.how == place_search.EXACT:
        heading = f"We found more than one place called {text}"
    else:
        heading = "Did you mean one of these places?"
    return {
        "place_text": text,
        "place_choices": choices,
        "place_choice_heading": heading,
        "place_choice_how": found.how,
        "place_choice_keep": keep,
        "place_choice_error": "Select the place you mean" if request.GET.get("choose") else "",
    }


def place_from_name(text: str):
    """A town or place name, when the deployment allows online geocoding; else (None, None)."""
    found = geocode_place(text)
    if found is None:
        return None, None
    min_lat, max_lat, min_lon, max_lon = bounding_box(found.latitude, found.longitude, 2)
    nearest = (
        Postcode.objects.filter(
            latitude__gte=min_lat,
            latitude__lte=max_lat,
            longitude__gte=min_lon,
            longitude__lte=max_lon,
        )
        .values("local_authority_code", "outcode")
        .first()
    )
    if nearest is None or not nearest["local_authority_code"].startswith("E"):
        return None, None  # not in England, as far as the gazetteer knows
    classification = classify(found.latitude, found.longitude)
    place = Place(
        latitude=found.latitude,
        longitude=found.longitude,
        local_authority_code=nearest["local_authority_code"],
        local_authority_name=local_authority_name(nearest["local_authority_code"]),
        rural=classification.rural,
        label=nearest["outcode"],
    )
    return place, classification


def attach_listings(results, request=None):
    """The page's listings with what their result shows (status for the badges; not the
    organisation or the service types, which the result does not show)."""
    ids = [m.listing_id for m in results.matches]
    listings = ListingPage.objects.filter(pk__in=ids).select_related("status").in_bulk()
    place = results.query.place
    for match in results.matches:
        match.listing = listings.get(match.listing_id)
        status = getattr(match.listing, "status", None)
        match.dbs = dbs_badge(status)
        match.freshness = freshness_badge(status)
        if match.listing is not None:
            # Once per listing, with the request's cached site root paths: the template
            # needs it three times, and `Page.url` would look the site up every time.
            match.url = match.listing.get_url(request)
        if place is not None and match.listing is not None:
            show_geodesic_distance(match, place)
    results.matches = [m for m in results.matches if m.listing is not None]


def show_geodesic_distance(match, place) -> None:
    """Ranking uses the fast great-circle distance; what a family reads is geopy's geodesic
    distance on the WGS-84 ellipsoid (a few yards different at most), for the page's
    listings only."""
    listing = match.listing
    if match.distance_miles is None or listing.latitude is None or match.private_position:
        return  # a person's distance is a band from their district's centre, never exact
    miles = round(
        geodesic((place.latitude, place.longitude), (listing.latitude, listing.longitude)).miles,
        1,
    )
    if miles != match.distance_miles:
        ranked, shown = match.distance_band, miles_words(miles)
        match.reasons = [reason.replace(ranked, shown) for reason in match.reasons]
        match.distance_miles = miles


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


# --- Shortlist -------------------------------------------------------------------------------


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def shortlist_add(request, listing_id: int):
    listing = ListingPage.objects.in_directory().filter(pk=listing_id).first()
    if listing is None:
        raise Http404("No such listing")
    shortlist.add(request, listing.pk)
    messages.success(request, f"{listing.title} is on your shortlist.")
    return redirect(safe_next(request, reverse("search:shortlist")))


@require_POST
def shortlist_remove(request, listing_id: int):
    shortlist.remove(request, listing_id)
    messages.success(request, "Removed from your shortlist.")
    return redirect(safe_next(request, reverse("search:shortlist")))


def with_badges(listings):
    """What a shortlist shows of each listing beside its details: its DBS and freshness."""
    for listing in listings:
        status = getattr(listing, "status", None)
        listing.dbs = dbs_badge(status)
        listing.freshness = freshness_badge(status)
    return listings


@require_GET
def shortlist_view(request):
    ids = shortlist.ids_in(request)
    listings = with_badges(shortlist.public_listings(ids))
    share = request.build_absolute_uri(
        reverse("search:shortlist_shared") + "?ids=" + ",".join(str(x.pk) for x in listings)
    )
    return render(
        request,
        "search/shortlist.html",
        {
            "listings": listings,
            "share_url": share if listings else "",
            "own": True,
            # True to the session's settings: kept this long after the last change.
            "kept_days": settings.SESSION_COOKIE_AGE // 86_400,
        },
    )


@require_GET
def shortlist_shared(request):
    listings = shortlist.public_listings(shortlist.parse_ids(request.GET.get("ids", "")))
    return render(
        request, "search/shortlist.html", {"listings": with_badges(listings), "own": False}
    )


@require_POST
def shortlist_save_shared(request):
    for listing in shortlist.public_listings(shortlist.parse_ids(request.POST.get("ids", ""))):
        shortlist.add(request, listing.pk)
    messages.success(request, "These are now on your shortlist.")
    return redirect("search:shortlist")
