"""A next step for a family this search could not help: nothing found within the furthest
distance, or a family living outside the councils the directory covers.

Say which council they live in, which councils the directory covers, where their own
council publishes its Local Offer, and which of the filters they chose might be removed
(each with a link that removes just that one)."""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils.text import get_text_list

from directory.models import ListingPage
from gazetteer.lookup import local_authority_name
from gazetteer.models import LocalAuthority

from .filters import RADIUS_CHOICES
from .models import LocalOffer
from .query import Mode

FIND_YOUR_COUNCIL = "https://www.gov.uk/find-local-council"
COVERED_CACHE_KEY = "search.next_steps.covered_councils"
FURTHEST_MILES = max(float(value) for value, _ in RADIUS_CHOICES[1:])
# What a family may have narrowed the search by, in the form's order. Postcode, place,
# distance, sort and page are where and how, not filters.
FILTER_NAMES = (
    "mode", "kind", "type", "age", "need", "skill", "funding", "day", "open_at", "when",
    "overnight", "max_cost", "language", "access", "verified_dbs", "free", "has_space",
    "kitemarked", "q",
)  # fmt: skip


@dataclass(frozen=True)
class LocalOfferLink:
    council: str  # where the family lives: "Cotswold"
    publisher: str  # who publishes its Local Offer: "Gloucestershire County Council"
    url: str  # the Local Offer, or GOV.UK's Find your local council

    @property
    def known(self) -> bool:
        return self.url != FIND_YOUR_COUNCIL


def local_offer_for(code: str) -> LocalOfferLink:
    council = local_authority_name(code) if code else ""
    row = LocalOffer.objects.filter(council_code=code).first() if code else None
    if row is None or not row.url:
        return LocalOfferLink(council, row.publisher if row else "", FIND_YOUR_COUNCIL)
    return LocalOfferLink(council, row.publisher, row.url)


def covered_councils() -> dict[str, str]:
    """Councils the directory covers, code -> name: where its public listings are, and
    the areas they say they serve. Counted at most every few minutes
    (SEARCH_COVERED_COUNCILS_SECONDS)."""
    covered = cache.get(COVERED_CACHE_KEY)
    if covered is None:
        listings = ListingPage.objects.in_directory()
        based = listings.exclude(local_authority_code="").values("local_authority_code")
        served = listings.values("served_local_authorities__code")
        authorities = LocalAuthority.objects.filter(
            Q(code__in=based) | Q(code__in=served)
        ).order_by("name")
        covered = dict(authorities.values_list("code", "name"))
        cache.set(COVERED_CACHE_KEY, covered, settings.SEARCH_COVERED_COUNCILS_SECONDS)
    return covered


def chosen_filters(form, query) -> list[dict]:
    """The filters the family chose, in words, each with the query string that removes it."""
    chosen = []
    for name in FILTER_NAMES:
        field = form.fields[name]
        values = [v for v in query.getlist(name) if v.strip()]
        if name == "mode":
            values = [v for v in values if v != Mode.BOTH]
        choices = {str(value): label for value, label in getattr(field, "choices", ())}
        for value in values:
            if choices and value not in choices:
                continue  # not a choice the form offers: the search ignored it
            if name == "mode":
                words = str(choices[value])  # "Places I can go to"
            elif choices:
                words = f"{field.label}: {choices[value]}"
            elif getattr(field.widget, "input_type", "") == "checkbox":
                words = str(field.label)
            else:
                words = f"{field.label}: {value}"
            remaining = query.copy()
            remaining.setlist(name, [v for v in query.getlist(name) if v != value])
            remaining.pop("page", None)
            chosen.append({"label": words, "query_string": remaining.urlencode()})
    return chosen


def further_query(query, results) -> str:
    """The query again, searching as far as the form allows; "" when it already did."""
    searched = results.radius_miles or 0
    if searched >= FURTHEST_MILES:
        return ""
    further = query.copy()
    further["radius"] = f"{FURTHEST_MILES:g}"
    further.pop("page", None)
    return further.urlencode()


def next_steps(form, query, place, results) -> dict:
    """What the results page offers when nothing was found, or the family lives outside the
    councils the directory covers; {} otherwise."""
    covered = covered_councils()
    code = place.local_authority_code
    outside = bool(covered) and bool(code) and code not in covered
    if results.total and not outside:
        return {}
    return {
        "outside": outside,
        "covered": get_text_list(list(covered.values()), "and"),
        "local_offer": local_offer_for(code),
        "chosen_filters": chosen_filters(form, query) if not results.total else [],
        "further_query": further_query(query, results) if not results.total else "",
        "furthest_miles": f"{FURTHEST_MILES:g}",
    }
