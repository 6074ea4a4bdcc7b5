"""Turning what a family typed into a `Place` for searching, classified rural or urban.

Rural or urban comes from the official ONS Rural-Urban Classification 2011 where it has been
imported (`manage.py import_rural_urban`) and the postcode's LSOA is known; otherwise from
postcode density, which the product computes from its own gazetteer (live and terminated
postcodes alike, as calibrated): a place with fewer than
`SEARCH_RURAL_DENSITY_THRESHOLD` postcodes in the square mile-radius box around it counts as
rural. Calibrated on Northumberland: Bellingham (88), Allendale (80), Wooler (106) and
Haltwhistle (252) are rural towns and villages in the ONS classification; Ponteland (349),
Hexham (881) and Newcastle (over 3,000) are urban.
"""

from dataclasses import dataclass

from django.conf import settings

from gazetteer.lookup import local_authority_name, lookup
from gazetteer.models import (
    LocalAuthority,
    PlaceName,
    Postcode,
    RuralUrbanClass,
    TerminatedPostcode,
)
from gazetteer.names import place_key

from .query import Place, bounding_box

DENSITY_RADIUS_MILES = 1.0
METHOD_DENSITY = "postcode density"
METHOD_ONS = "ONS Rural-Urban Classification 2011"
MAX_PLACES = 10
MIN_PREFIX = 3


@dataclass(frozen=True)
class Classification:
    rural: bool
    method: str
    detail: str = ""  # e.g. "Rural village and dispersed" for the ONS method


def classify(latitude: float, longitude: float, lsoa11: str = "") -> Classification:
    if lsoa11:
        found = RuralUrbanClass.objects.filter(lsoa11=lsoa11).first()
        if found is not None:
            return Classification(found.rural, METHOD_ONS, found.name)
    min_lat, max_lat, min_lon, max_lon = bounding_box(latitude, longitude, DENSITY_RADIUS_MILES)
    box = {
        "latitude__gte": min_lat,
        "latitude__lte": max_lat,
        "longitude__gte": min_lon,
        "longitude__lte": max_lon,
    }
    nearby = Postcode.objects.filter(**box).count()
    nearby += TerminatedPostcode.objects.filter(**box).count()
    return Classification(nearby < settings.SEARCH_RURAL_DENSITY_THRESHOLD, METHOD_DENSITY)


def place_from_postcode(text: str) -> tuple[Place, Classification]:
    """Raises `gazetteer.lookup.PostcodeError` with a message a family can act on."""
    found = lookup(text)
    classification = classify(found.latitude, found.longitude, found.lsoa11)
    place = Place(
        latitude=found.latitude,
        longitude=found.longitude,
        local_authority_code=found.local_authority_code,
        local_authority_name=found.local_authority_name,
        rural=classification.rural,
        label=found.sector,
    )
    return place, classification


# --- Towns and villages by name (offline: the wards of OS Code-Point Open) -------------------


def find_places(text: str) -> list[PlaceName]:
    """Places called `text` (whatever its case or punctuation); if none, places whose names
    start with it (at least 3 letters). Most postcodes first, at most 10. Wards with the same
    name in different councils are different places."""
    key = place_key(text)
    if not key:
        return []
    order = ("-postcodes", "name", "pk")
    exact = list(PlaceName.objects.filter(key=key).order_by(*order)[:MAX_PLACES])
    if exact or len(key) < MIN_PREFIX:
        return exact
    return list(PlaceName.objects.filter(key__startswith=key).order_by(*order)[:MAX_PLACES])


def place_labels(places: list[PlaceName]) -> dict[int, str]:
    """ "Bellingham (Northumberland)" for each place, by id: the council tells apart wards
    with the same name."""
    codes = {p.local_authority_code for p in places}
    names = dict(LocalAuthority.objects.filter(code__in=codes).values_list("code", "name"))
    return {
        p.pk: f"{p.name} ({names.get(p.local_authority_code, p.local_authority_code)})"
        for p in places
    }


def place_from_place_name(found: PlaceName) -> tuple[Place, Classification]:
    """Search from the centre of the ward's live postcodes. A ward has no single LSOA, so
    rural or urban comes from postcode density there."""
    classification = classify(found.latitude, found.longitude)
    council = local_authority_name(found.local_authority_code)
    place = Place(
        latitude=found.latitude,
        longitude=found.longitude,
        local_authority_code=found.local_authority_code,
        local_authority_name=council,
        rural=classification.rural,
        label=f"{found.name} ({council})",
        outcode=found.outcode,
    )
    return place, classification
