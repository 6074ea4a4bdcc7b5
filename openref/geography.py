"""Where a listing is, as precisely as the open data may say, and the postcode filters.

A venue is where it is. A personal assistant works from home: the open data places them at the
centre of their postcode district (the same "Based in the NE46 area" the directory shows), for
their location and for every distance the API measures, so no sequence of postcode and
proximity searches can narrow them down further than their district.
"""

import time

from django.core.cache import cache
from django.db.models import Avg
from geopy.distance import great_circle

from directory.choices import ListingKind
from gazetteer.models import Postcode

METRES_PER_MILE = 1609.344
DISTRICT_CACHE_SECONDS = 60 * 60 * 24


# This process's copy of the centres it has read, as well as the cache: the cache is shared
# between processes but, as configured (local memory, 300 entries, shared with the rest of the
# site), holds a tenth of England's 2,800 districts, so streaming the directory averaged the
# same districts' postcodes again and again.
_known: dict[str, tuple[tuple[float, float], float]] = {}  # outcode: (centre, good until)


def district_centre(outcode: str) -> tuple[float, float] | None:
    """The mean position of a postcode district's postcodes, to about 100 metres."""
    if not outcode:
        return None
    known = _known.get(outcode)
    if known is not None and known[1] > time.monotonic():
        return known[0]
    key = _district_key(outcode)
    found = cache.get(key)
    if found is None:
        centre = Postcode.objects.filter(outcode=outcode).aggregate(
            lat=Avg("latitude"), lng=Avg("longitude")
        )
        if centre["lat"] is None:
            return None
        found = (round(centre["lat"], 3), round(centre["lng"], 3))
        cache.set(key, found, DISTRICT_CACHE_SECONDS)
    _known[outcode] = (found, time.monotonic() + DISTRICT_CACHE_SECONDS)
    return found


def warm_district_centres(outcodes) -> None:
    """Read the centres of these districts that this process does not have yet, with one
    query for all those the cache does not have either (a batch of a stream would otherwise
    ask for each district in turn)."""
    now = time.monotonic()
    wanted = {
        _district_key(outcode): outcode
        for outcode in set(outcodes)
        if outcode and not (outcode in _known and _known[outcode][1] > now)
    }
    if not wanted:
        return
    found = {wanted[key]: centre for key, centre in cache.get_many(wanted).items()}
    missing = set(wanted.values()) - set(found)
    if missing:
        centres = (
            Postcode.objects.filter(outcode__in=missing)
            .values("outcode")
            .annotate(lat=Avg("latitude"), lng=Avg("longitude"))
            .order_by()
        )
        made = {row["outcode"]: (round(row["lat"], 3), round(row["lng"], 3)) for row in centres}
        cache.set_many(
            {_district_key(outcode): centre for outcode, centre in made.items()},
            DISTRICT_CACHE_SECONDS,
        )
        found.update(made)
    until = now + DISTRICT_CACHE_SECONDS
    _known.update((outcode, (centre, until)) for outcode, centre in found.items())


def _district_key(outcode: str) -> str:
    return f"openref:district:{outcode}"


def is_personal_assistant(listing) -> bool:
    return listing.kind == ListingKind.PERSONAL_ASSISTANT


def public_position(listing) -> tuple[float, float] | None:
    """(latitude, longitude) as published: exact for a venue, the district's centre for a PA."""
    if is_personal_assistant(listing):
        return district_centre(listing.postcode_district)
    if listing.latitude is None or listing.longitude is None:
        return None
    return (listing.latitude, listing.longitude)


POSITION_FIELDS = (
    "pk",
    "kind",
    "latitude",
    "longitude",
    "postcode_district",
    "local_authority_code",
    "at_venue",
    "comes_to_family",
    "online",
    "travel_radius_miles",
)


class _Row:
    def __init__(self, values: dict):
        self.__dict__.update(values)


def listings_near(queryset, place, proximity_metres: float) -> list[int]:
    """Ids of the listings whose public position is within `proximity_metres` of `place`."""
    origin = (place.latitude, place.longitude)
    keep = []
    for values in (
        queryset.prefetch_related(None)
        .values(*POSITION_FIELDS)
        .order_by()
        .iterator(chunk_size=2000)
    ):
        row = _Row(values)
        position = public_position(row)
        if position and great_circle(origin, position).meters <= proximity_metres:
            keep.append(row.pk)
    return keep


def listings_covering(queryset, place) -> list[int]:
    """Ids of the listings available at `place`: online; coming to families within their
    travel radius (from their public position) or in a council area they serve; or a venue
    in the place's own council area."""
    origin = (place.latitude, place.longitude)
    serving = set(
        queryset.filter(served_local_authorities__code=place.local_authority_code).values_list(
            "pk", flat=True
        )
    )
    keep = []
    for values in (
        queryset.prefetch_related(None)
        .values(*POSITION_FIELDS)
        .order_by()
        .iterator(chunk_size=2000)
    ):
        row = _Row(values)
        if row.online or row.pk in serving:
            keep.append(row.pk)
            continue
        if row.at_venue and row.local_authority_code == place.local_authority_code:
            keep.append(row.pk)
            continue
        if row.comes_to_family and row.travel_radius_miles:
            position = public_position(row)
            reach = row.travel_radius_miles * METRES_PER_MILE
            if position and great_circle(origin, position).meters <= reach:
                keep.append(row.pk)
    return keep
