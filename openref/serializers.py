"""Services and organisations as Open Referral UK 3.0 JSON.

Every function returns plain dicts passed through `compact`, so optional fields with no value
are left out. Database ids never appear: see `ids`.
"""

import datetime
import html

from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.html import strip_tags

from directory.badges import freshness_badge
from directory.choices import CostUnit, Freshness, ListingKind, OrganisationKind
from search.api import miles_words

from .ids import compact, derived
from .locations import service_at_location_json
from .queries import related
from .taxonomies import check_terms, listing_terms

DAY_CODES = {1: "MO", 2: "TU", 3: "WE", 4: "TH", 5: "FR", 6: "SA", 7: "SU"}
CHECKS = "checks-and-awards"  # the taxonomy of a service's accreditations
# People, not organisations: their own contact details and registrations are not published
# beyond what their listing shows.
INDIVIDUAL_KINDS = {OrganisationKind.SELF_EMPLOYED_PA, OrganisationKind.CHILDMINDER}


def timestamp(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    utc = moment.astimezone(datetime.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def plain_text(rich: str) -> str:
    return html.unescape(strip_tags(rich or "")).strip()


def page_url(page, request) -> str | None:
    if page is None or not page.live:
        return None
    return page.get_full_url(request)


# --- Organisations --------------------------------------------------------------------------


def organization_basic(organisation, request) -> dict:
    provider_page = getattr(organisation, "provider_page", None)
    about = provider_page.about if provider_page is not None else ""
    individual = organisation.kind in INDIVIDUAL_KINDS
    return compact(
        {
            "id": str(organisation.uuid),
            "name": organisation.name,
            "description": about or organisation.get_kind_display(),
            "website": "" if individual else organisation.website,
            "uri": page_url(provider_page, request),
        }
    )


def _service_organization(organisation, request) -> dict:
    """`organization_basic`, made once a request for each organisation: a stream of the
    directory gives the same few organisations for thousands of services. (Shared between
    services' JSON: read it, never change it.)"""
    if request is None:
        return organization_basic(organisation, request)
    made = request.__dict__.setdefault("_openref_organizations", {})
    if organisation.pk not in made:
        made[organisation.pk] = organization_basic(organisation, request)
    return made[organisation.pk]


def organization_identifiers(organisation) -> list[dict]:
    if organisation.kind in INDIVIDUAL_KINDS:
        return []
    found = []
    if organisation.ofsted_urn:
        found.append(("ofsted", "GB-OFSTED", "Ofsted URN", organisation.ofsted_urn))
    if organisation.cqc_location_id:
        found.append(("cqc", "GB-CQC", "CQC location ID", organisation.cqc_location_id))
    return [
        {
            "id": derived(organisation.uuid, "identifier", key),
            "organization_id": str(organisation.uuid),
            "identifier_scheme": scheme,
            "identifier_type": label,
            "identifier": value,
        }
        for key, scheme, label, value in found
    ]


def organization_full(organisation, request, services: list[dict]) -> dict:
    data = organization_basic(organisation, request)
    data["organization_identifiers"] = organization_identifiers(organisation)
    data["services"] = services
    return compact(data)


# --- Services -------------------------------------------------------------------------------


def service_minimal(listing) -> dict:
    return compact(
        {
            "id": str(listing.uuid),
            "name": listing.title,
            "status": "active",
            "last_modified": timestamp(listing.last_published_at),
        }
    )


def _accreditations(listing, on, terms=None) -> str:
    # The terms of "checks and awards": from the listing's status alone, so that a page of the
    # list reads no many-to-many, unless the service's terms were read already.
    if terms is None:
        terms = check_terms(listing, on)
    return ". ".join(value for term, value in terms if term.taxonomy.key == CHECKS)


def _alert(listing, on) -> str:
    status = getattr(listing, "status", None)
    alerts = []
    if status is not None and status.freshness(on) == Freshness.STALE:
        badge = freshness_badge(status, on)
        alerts.append(f"{badge.label}. {badge.text}")
    if listing.capacity_now == 0:
        alerts.append("Full at the moment: ask the provider about a waiting list.")
    return " ".join(alerts)


INCLUSION_PREFIX = "Support to join in: "


def _inclusion(listing) -> str:
    """What an inclusive club does so disabled children can join in: its own paragraph of the
    description, as the spreadsheet's "Inclusion support" column (and read back on import)."""
    if listing.kind != ListingKind.INCLUSIVE_CLUB:
        return ""
    support = getattr(listing, "inclusion_support", None)
    if support is None:
        try:
            support = listing.inclusiveclubpage.inclusion_support
        except ObjectDoesNotExist:
            return ""
    return f"{INCLUSION_PREFIX}{' '.join(support.split())}" if support.strip() else ""


def service_basic(listing, request, on=None, terms=None) -> dict:
    """The service's one-to-one fields and its organisation (the list endpoints' shape).
    `terms`: the listing's `listing_terms`, when the caller has them."""
    on = on or timezone.localdate()
    status = getattr(listing, "status", None)
    description = "\n\n".join(
        part
        for part in (listing.summary, plain_text(listing.description), _inclusion(listing))
        if part
    )
    organisation = listing.organisation
    return compact(
        {
            "id": str(listing.uuid),
            "organization_id": str(organisation.uuid) if organisation else None,
            "name": listing.title,
            "description": description,
            "url": listing.contact_website or page_url(listing, request),
            "email": listing.contact_email,
            "status": "active",
            "accreditations": _accreditations(listing, on, terms),
            "minimum_age": listing.age_min,
            "maximum_age": listing.age_max,
            "assured_date": status.assured_date.isoformat()
            if status and status.assured_date
            else None,
            "alert": _alert(listing, on),
            "last_modified": timestamp(listing.last_published_at),
            "organization": _service_organization(organisation, request) if organisation else None,
        }
    )


def schedules(listing) -> list[dict]:
    days = [DAY_CODES[day.id] for day in related(listing, "days") if day.id in DAY_CODES]
    if not days and not listing.time_from:
        return []
    when = []
    if listing.term_time:
        when.append("in term time")
    if listing.school_holidays:
        when.append("in the school holidays")
    notes = "Available " + " and ".join(when) + "." if when else ""
    if listing.overnight:
        notes = (notes + " Overnight stays.").strip()
    return [
        {
            "id": derived(listing.uuid, "schedule"),
            "service_id": str(listing.uuid),
            "freq": "WEEKLY" if days else None,
            "interval": 1 if days else None,
            "byday": ",".join(days),
            "opens_at": listing.time_from.strftime("%H:%M:%S") if listing.time_from else None,
            "closes_at": listing.time_to.strftime("%H:%M:%S") if listing.time_to else None,
            "description": notes,
            "attending_type": "in person"
            if listing.at_venue or listing.comes_to_family
            else "online",
        }
    ]


def cost_options(listing) -> list[dict]:
    if listing.cost_unit == CostUnit.FREE:
        amount, description = 0, "Free"
    elif listing.cost_amount is None:
        return []
    else:
        amount, description = float(listing.cost_amount), listing.get_cost_unit_display()
    return [
        {
            "id": derived(listing.uuid, "cost_option"),
            "service_id": str(listing.uuid),
            "option": listing.cost_notes,
            "amount": amount,
            "currency": "GBP",
            "amount_description": description,
        }
    ]


def funding(listing) -> list[dict]:
    return [
        {
            "id": derived(listing.uuid, "funding", route.uuid),
            "service_id": str(listing.uuid),
            "source": route.name,
        }
        for route in related(listing, "funding_accepted")
    ]


def languages(listing) -> list[dict]:
    return [
        {
            "id": derived(listing.uuid, "language", language.uuid),
            "service_id": str(listing.uuid),
            "name": language.name,
        }
        for language in related(listing, "languages")
    ]


def contacts(listing) -> list[dict]:
    if not (listing.contact_name or listing.contact_phone or listing.contact_email):
        return []
    contact_id = derived(listing.uuid, "contact")
    phones = []
    if listing.contact_phone:
        phones.append(
            {
                "id": derived(listing.uuid, "phone"),
                "contact_id": contact_id,
                "number": listing.contact_phone,
            }
        )
    return [
        {
            "id": contact_id,
            "service_id": str(listing.uuid),
            "name": listing.contact_name,
            "email": listing.contact_email,
            "phones": phones,
        }
    ]


def service_areas(listing) -> list[dict]:
    areas = [
        {
            "id": derived(listing.uuid, "service_area", council.code),
            "service_id": str(listing.uuid),
            "name": council.name,
            "service_area": council.name,
            "uri": f"http://statistics.data.gov.uk/id/statistical-geography/{council.code}",
        }
        for council in related(listing, "served_local_authorities")
    ]
    if listing.comes_to_family and listing.travel_radius_miles:
        reach = (
            f"Within {miles_words(listing.travel_radius_miles)} of the "
            f"{listing.postcode_district} area"
        )
        areas.append(
            {
                "id": derived(listing.uuid, "service_area", "travel"),
                "service_id": str(listing.uuid),
                "name": reach,
                "service_area": reach,
                "extent_type": "text",
            }
        )
    return areas


def attributes(listing, on=None, terms=None) -> list[dict]:
    """Compact already: every field has a value, but for `value`, left out when empty."""
    service_id = str(listing.uuid)
    found = []
    for term, value in listing_terms(listing, on) if terms is None else terms:
        attribute = {
            "id": derived(listing.uuid, "attribute", term.id),
            "link_id": service_id,
            "link_type": term.taxonomy.link_type,
            "link_entity": "service",
            "taxonomy_term_id": term.id,
            "taxonomy_term": term.json,
        }
        if value:
            attribute["value"] = value
        found.append(attribute)
    return found


def service_full(listing, request, on=None) -> dict:
    """The fully nested service (`/services/{id}`, `full=true`, the ndjson stream)."""
    terms = listing_terms(listing, on)
    data = service_basic(listing, request, on, terms)  # compact already
    data.update(
        compact(
            {
                "schedules": schedules(listing),
                "service_areas": service_areas(listing),
                "service_at_locations": [service_at_location_json(listing)],
                "languages": languages(listing),
                "funding": funding(listing),
                "cost_options": cost_options(listing),
                "contacts": contacts(listing),
            }
        )
    )
    if found := attributes(listing, on, terms):  # compact already
        data["attributes"] = found
    return data
