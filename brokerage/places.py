"""Where a family is, kept only at postcode-sector precision ("NE46 3")."""

from dataclasses import dataclass

from django.db.models import Avg

from gazetteer.lookup import lookup
from gazetteer.models import Postcode
from search.places import classify


@dataclass(frozen=True)
class SectorPlace:
    postcode_sector: str
    latitude: float
    longitude: float
    local_authority_code: str
    local_authority_name: str
    rural: bool


def sector_place(text: str) -> SectorPlace:
    """Raises `gazetteer.lookup.PostcodeError` with a message a family can act on. The full
    postcode is used only to find its sector and is never returned or stored."""
    place = lookup(text)
    centre = Postcode.objects.filter(sector=place.sector).aggregate(
        lat=Avg("latitude"), lon=Avg("longitude")
    )
    latitude = centre["lat"] if centre["lat"] is not None else place.latitude
    longitude = centre["lon"] if centre["lon"] is not None else place.longitude
    return SectorPlace(
        postcode_sector=place.sector,
        latitude=round(latitude, 6),
        longitude=round(longitude, 6),
        local_authority_code=place.local_authority_code,
        local_authority_name=place.local_authority_name,
        rural=classify(latitude, longitude).rural,
    )
