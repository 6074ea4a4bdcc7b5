"""A search result's card, written in Python: a results page has up to 20 of them, and drawn
through the template engine (each card a dozen lookups, tags and filters) they took about a
tenth of the whole page's time (docs/performance.md, "Result cards written in Python"). The
HTML is what the card's template (`search/result.html`, included once per card) wrote; its
wording is tested with the page (tests/search/test_wording.py, test_search_page.py and the
browser tests)."""

from django.middleware.csrf import get_token
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from . import shortlist

KITEMARK = mark_safe(
    ' <strong class="govuk-tag govuk-tag--purple">Kitemark from young people</strong>'
)


def where(match) -> str:
    """How the listing reaches the family, in the card's bold first line."""
    if match.comes_to_you and match.within_reach:
        if match.private_position:
            return (
                f"Comes to you from the {match.listing.postcode_district} area "
                f"({match.distance_band})"
            )
        return f"Comes to you: based {match.distance_band} away"
    if match.area_only:
        return f"Covers all of {match.covers_area}"
    return f"You travel {match.distance_band}"


def map_data(match) -> SafeString:
    """The venue's position for the results map (none for a person, whose home is private)."""
    listing = match.listing
    if not (listing.shows_map and listing.latitude):
        return mark_safe("")  # noqa: S308 (a constant)
    return format_html(
        ' data-result-lat="{}" data-result-lng="{}" data-result-title="{}" data-result-url="{}"',
        f"{listing.latitude:f}",
        f"{listing.longitude:f}",
        listing.title,
        match.url,
    )


def tags(match) -> SafeString:
    """The DBS and freshness badges, whether it is taking bookings, the kitemark and space now."""
    listing = match.listing
    status = getattr(listing, "status", None)  # none for a listing not yet processed
    parts = [format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', *badge(match.dbs))]
    if match.freshness:
        parts.append(
            format_html(
                ' <strong class="govuk-tag govuk-tag--{}">{}</strong>', *badge(match.freshness)
            )
        )
    if status is not None and status.paused():
        parts.append(
            format_html(
                ' <strong class="govuk-tag govuk-tag--orange">Not taking bookings until {}'
                "</strong>",
                date_filter(status.paused_until, "j F Y"),
            )
        )
    if status is not None and status.kitemarked():
        parts.append(KITEMARK)
    if listing.capacity_now is not None:
        parts.append(format_html(" Space now: {}", listing.space_now_display))
    return mark_safe("".join(parts))  # noqa: S308 (each part escaped above)


def badge(found) -> tuple[str, str]:
    return found.colour, found.label


def shortlist_part(match, request, page: dict) -> SafeString:
    """ "Added" with a link to the shortlist, or the button that adds it and comes back here."""
    if shortlist.on_it(request, match.listing_id):
        return format_html(
            '<p class="govuk-body-s"><strong class="govuk-tag govuk-tag--green">Added to your '
            'shortlist</strong> <a class="govuk-link" href="{}">See your shortlist</a></p>',
            page["shortlist_url"],
        )
    return format_html(
        '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
        'value="{}"><input type="hidden" name="next" value="{}#result-{}"><button '
        'type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" '
        'data-module="govuk-button">Add to shortlist<span class="govuk-visually-hidden">: {}'
        "</span></button></form>",
        reverse("search:shortlist_add", args=[match.listing_id]),
        page["csrf_token"],
        page["here"],
        match.listing_id,
        match.listing.title,
    )


def result_card(match, request, page: dict) -> SafeString:
    return format_html(
        '<li class="app-result govuk-!-margin-bottom-6" id="result-{}"{}>\n'
        '<h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="{}">{}'
        "</a></h3>\n"
        '<p class="govuk-body govuk-!-margin-bottom-1"><strong>{}</strong></p>\n'
        '<p class="govuk-body govuk-!-margin-bottom-1">{}</p>\n'
        '<ul class="govuk-list govuk-list--bullet govuk-body-s">{}</ul>\n'
        '<p class="govuk-body-s">{}</p>\n{}\n</li>\n',
        match.listing_id,
        map_data(match),
        match.url,
        match.listing.title,
        where(match),
        match.listing.summary,
        format_html_join("", "<li>{}</li>", ((reason,) for reason in match.reasons)),
        tags(match),
        shortlist_part(match, request, page),
    )


def result_cards(matches, request) -> SafeString:
    """Every card of a list of results; what is the same for every card is worked out once."""
    page = {
        "shortlist_url": reverse("search:shortlist"),
        "csrf_token": get_token(request),
        "here": request.get_full_path(),
    }
    return mark_safe("".join(result_card(m, request, page) for m in matches))  # noqa: S308
