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
from django.db.models import Exists, OuterRef

from directory.models import ListingPage
from gazetteer import place_search
from gazetteer.lookup import local_authority_name, lookup
from gazetteer.models import (
    LocalAuthority,
    PlaceName,
    Postcode,
    RuralUrbanClass,
    TerminatedPostcode,
)

from .query import Place, bounding_box

DENSITY_RADIUS_MILES = 1.0
METHOD_DENSITY = "postcode density"
METHOD_ONS = "ONS Rural-Urban Classification 2011"


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


# --- Places by name, offline (gazetteer/place_search.py) -------------------------------------


def home_centres() -> list[tuple[float, float]]:
    """The centres of the councils the site serves: those its listings are in or serve. Asked
    of each council (a few hundred, each an index lookup), not of each of 100,000 listings
    (which cost a search by place name 200 ms)."""
    based = ListingPage.objects.filter(local_authority_code=OuterRef("code"))
    serving = ListingPage.served_local_authorities.through.objects.filter(
        localauthority_id=OuterRef("pk")
    )
    served = LocalAuthority.objects.filter(Exists(based) | Exists(serving)).values("code")
    return list(
        PlaceName.objects.filter(kind=PlaceName.COUNCIL, ref__in=served).values_list(
            "latitude", "longitude"
        )
    )


def find_places(text: str) -> list[PlaceName]:
    """The places a family typing `text` may mean, likeliest first (at most 10)."""
    return place_search.find(text, home_centres()).places


def place_labels(places: list[PlaceName]) -> dict[int, str]:
    """ "Bellingham (Northumberland)" for each place, by id: the council tells apart places
    with the same name. A council is its own name."""
    codes = {p.local_authority_code for p in places}
    names = dict(LocalAuthority.objects.filter(code__in=codes).values_list("code", "name"))
    return {
        p.pk: label(p, names.get(p.local_authority_code, p.local_authority_code)) for p in places
    }


def label(place: PlaceName, council: str) -> str:
    return place.name if place.kind == PlaceName.COUNCIL else f"{place.name} ({council})"


def place_from_place_name(found: PlaceName) -> tuple[Place, Classification]:
    """Search from the place's centre. A place has no single LSOA, so rural or urban comes
    from postcode density there."""
    classification = classify(found.latitude, found.longitude)
    council = local_authority_name(found.local_authority_code)
    place = Place(
        latitude=found.latitude,
        longitude=found.longitude,
        local_authority_code=found.local_authority_code,
        local_authority_name=council,
        rural=classification.rural,
        label=label(found, council),
        outcode=found.outcode,
    )
    return place, classification
