"""The councils that commission short breaks: upper-tier and unitary councils (counties,
unitary authorities, metropolitan districts and London boroughs), each with its region.

The gazetteer's local authorities are districts (ONS LAD codes); in a two-tier area the
district (e.g. Adur, E07000223) is not the council that commissions short breaks, its county
is (West Sussex, E10000032). `data/councils.csv` gives each district its council and region:
the county of each district from OS Code-Point Open (May 2025, the admin county column;
Contains OS data © Crown copyright and database right 2025, Contains Royal Mail data © Royal
Mail copyright and database right 2025, Contains National Statistics data © Crown copyright
and database right 2025; Open Government Licence v3.0), county names from its code list, and
each council's region as in the ONS local authority to region lookup (Open Government
Licence v3.0). Sheffield's old code (E08000019) belongs to its new one (E08000039)."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "councils.csv"


@dataclass(frozen=True)
class Council:
    code: str
    name: str
    region: str


@cache
def _table() -> dict[str, Council]:
    with PATH.open(newline="", encoding="utf-8") as handle:
        return {
            row["district_code"]: Council(row["council_code"], row["council_name"], row["region"])
            for row in csv.DictReader(handle)
        }


def council_of(district_code: str) -> Council | None:
    """The council that commissions short breaks where `district_code` is."""
    return _table().get(district_code)


def councils() -> list[Council]:
    """Every council once, by region then name."""
    unique = {council.code: council for council in _table().values()}
    return sorted(unique.values(), key=lambda c: (c.region, c.name))


def districts_of(council_codes) -> list[str]:
    """The districts (LAD codes) the councils cover: a unitary council is its own district."""
    wanted = set(council_codes)
    return sorted(district for district, c in _table().items() if c.code in wanted)


def by_region(first: str = "") -> list[tuple[str, list[Council]]]:
    """The councils grouped by region, regions in alphabetical order; with `first` (a council
    code), that council's region comes first and that council first in it."""
    regions: dict[str, list[Council]] = {}
    for council in councils():
        regions.setdefault(council.region, []).append(council)
    own = next((c for c in councils() if c.code == first), None)
    groups = list(regions.items())
    if own is not None:
        groups.sort(key=lambda group: group[0] != own.region)
        groups[0][1].sort(key=lambda c: c.code != own.code)
    return groups
