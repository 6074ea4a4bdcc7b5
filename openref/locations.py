"""A listing's place in the open data: its service_at_location, location and address.

A personal assistant's address is their postcode district only (never their street, town or
full postcode), at the district's centre (see `geography`).
"""

import functools

from gazetteer.lookup import local_authority_name

from .geography import is_personal_assistant, public_position
from .ids import compact, derived
from .queries import related

COUNTRY = "GB"


def location_id(listing) -> str:
    return _location_id(listing.uuid)


@functools.lru_cache(maxsize=1024)
def _location_id(listing_uuid) -> str:
    # Remembered: a location's id is in its service_at_location, its address and each of its
    # accessibility records.
    return derived(listing_uuid, "location")


def service_at_location_id(listing) -> str:
    return derived(listing.uuid, "service_at_location")


def _council(listing) -> str:
    code = listing.local_authority_code
    if not code:
        return ""
    if hasattr(listing, "council_name"):  # read with the listing (`queries.services`)
        return listing.council_name or code
    return local_authority_name(code)


def address_json(listing) -> dict:
    council = _council(listing)
    if is_personal_assistant(listing):
        district = listing.postcode_district
        return {
            "id": derived(listing.uuid, "address"),
            "location_id": location_id(listing),
            "address_1": f"Based in the {district} area",
            "city": council or district,
            "state_province": council or district,
            "postal_code": district,
            "country": COUNTRY,
            "address_type": "physical",
        }
    street = listing.address_line_1 or listing.address_line_2 or listing.title
    return {
        "id": derived(listing.uuid, "address"),
        "location_id": location_id(listing),
        "address_1": street,
        "address_2": listing.address_line_2 if listing.address_line_1 else "",
        "city": listing.town or council or listing.postcode_district,
        "state_province": council or listing.town or listing.postcode_district,
        "postal_code": listing.postcode,
        "country": COUNTRY,
        "address_type": "physical",
    }


def accessibility_json(listing) -> list[dict]:
    if is_personal_assistant(listing) or not listing.at_venue:
        return []
    return [
        {
            "id": derived(listing.uuid, "accessibility", feature.uuid),
            "location_id": location_id(listing),
            "description": feature.name,
            "details": feature.description,
        }
        for feature in related(listing, "access_features")
    ] + (
        [
            {
                "id": derived(listing.uuid, "accessibility", "notes"),
                "location_id": location_id(listing),
                "description": listing.access_notes,
            }
        ]
        if listing.access_notes
        else []
    )


def location_json(listing, full: bool = True) -> dict:
    position = public_position(listing)
    if is_personal_assistant(listing):
        name = f"Based in the {listing.postcode_district} area"
        description = "A personal assistant who comes to families; shown by postcode district."
    else:
        name = listing.address_line_1 or listing.title
        description = "The venue" if listing.at_venue else "Where the service is based"
    data = {
        "id": location_id(listing),
        "location_type": "physical",
        "name": name,
        "description": description,
        "latitude": position[0] if position else None,
        "longitude": position[1] if position else None,
    }
    if full:
        data["addresses"] = [address_json(listing)]
        data["accessibility"] = accessibility_json(listing)
    return data


def service_at_location_json(listing, full: bool = True) -> dict:
    return compact(
        {
            "id": service_at_location_id(listing),
            "service_id": str(listing.uuid),
            "location_id": location_id(listing),
            "location": location_json(listing, full=full),
        }
    )
