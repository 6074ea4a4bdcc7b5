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

from .gazetteer import lookup
from .models import Postcode, RuralUrbanClass, TerminatedPostcode
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
    """Raises `search.gazetteer.PostcodeError` with a message a family can act on."""
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
