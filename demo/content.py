"""The demo county's words and numbers, read from the files in `demo/data/` (see its README):
real towns and the postcode districts that cover them, invented names, what each kind of
service looks like, and the mix of providers, safeguarding and freshness."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@cache
def load(name: str) -> dict:
    with open(DATA / f"{name}.json", encoding="utf-8") as file:
        return json.load(file)


def frozen(value):
    """JSON lists as tuples, so the data cannot be changed by accident while planning."""
    if isinstance(value, list):
        return tuple(frozen(item) for item in value)
    return value


@dataclass(frozen=True)
class Town:
    name: str  # the listing's town
    la: str  # ONS local authority district code
    codes: tuple[str, ...]  # postcode districts ("NE46") or sectors ("NE65 7")
    weight: int  # roughly, population
    area: str = ""  # a neighbourhood, shown as the second address line (Newcastle)


@dataclass(frozen=True)
class Spec:
    """One kind of service: its taxonomy, words, schedule, cost and capacity."""

    key: str
    kind: str
    types: tuple[str, ...]
    titles: tuple[str, ...]
    summaries: tuple[str, ...]
    about: tuple[str, ...]
    ages: tuple[tuple[int, int], ...]
    needs: tuple[str, ...]
    skills: tuple[str, ...]
    access: tuple[str, ...]
    funding: tuple[str, ...]
    venues: tuple[str, ...]  # "" is a carer's, childminder's or family's home: no address
    at_venue: bool
    comes_to_family: bool
    days: tuple[int, ...]  # ISO weekday numbers
    n_days: tuple[int, int]
    times: tuple[tuple[str, str] | None, ...]
    term_time: bool
    school_holidays: bool
    overnight: bool
    cost: tuple[str, float, float]  # unit, lowest, highest
    free_chance: float
    capacity: tuple[str, int, int]  # unit, lowest, highest
    min_booking: tuple[str, ...]
    sports: tuple[str, ...]


_towns, _names, _texts, _mix = load("towns"), load("names"), load("texts"), load("mix")

COUNCIL_NAMES = {code: council["name"] for code, council in _towns["councils"].items()}
NORTHUMBERLAND, NEWCASTLE = list(COUNCIL_NAMES)  # the rural county, the city
# Share of organisations based in each council area: the rural county is the larger.
LA_WEIGHTS = {code: council["weight"] for code, council in _towns["councils"].items()}
TOWNS = [Town(**{key: frozen(value) for key, value in town.items()}) for town in _towns["towns"]]

FIRST_FEMALE = frozen(_names["first_female"])
FIRST_MALE = frozen(_names["first_male"])
FIRST_FEMALE_DIVERSE = frozen(_names["first_female_diverse"])
FIRST_MALE_DIVERSE = frozen(_names["first_male_diverse"])
SURNAMES = frozen(_names["surnames"])
SURNAMES_DIVERSE = frozen(_names["surnames_diverse"])
PLACE_NAMES = {la: frozen(names) for la, names in _names["place_names"].items()}
ORG_NOUNS = {archetype: frozen(nouns) for archetype, nouns in _names["organisation_nouns"].items()}
COUNCIL_SERVICES = frozen(_names["council_services"])
COUNCIL_AREAS = {la: frozen(areas) for la, areas in _names["council_areas"].items()}
INSURERS = frozen(_names["insurers"])
STAFF_ROLES = frozen(_names["staff_roles"])
PA_BACKGROUNDS = frozen(_names["pa_backgrounds"])
LANGUAGE_CHOICES = {la: list(slugs) for la, slugs in _names["languages"].items()}

_services = load("services")  # each service's values over the shared defaults
SPECS = {
    spec["key"]: Spec(
        **{key: frozen(value) for key, value in (_services["defaults"] | spec).items()}
    )
    for spec in _services["services"]
}

CHILDMINDER_SUMMARIES = frozen(_texts["childminder_summaries"])
INCLUSION_SUPPORT = frozen(_texts["inclusion_support"])
ACCESS_NOTES = frozen(_texts["access_notes"])
CULTURAL_NOTES = frozen(_texts["cultural_notes"])
COST_NOTES = frozen(_texts["cost_notes"])
COUNCIL_FREE_NOTE = _texts["council_free_note"]
FREE_NOTE = _texts["free_note"]

# Which services each kind of organisation offers (spec key, weight), and how many listings.
ARCHETYPES = {
    archetype: (plan["kind"], frozen(plan["listings"]), frozen(plan["services"]))
    for archetype, plan in _mix["organisations"].items()
}
ARCHETYPE_SHARE = _mix["listing_share"]  # share of listings from each kind of organisation
# Safeguarding and freshness mix (shares of organisations / listings; at least one of each).
DBS_MIX = _mix["dbs_share"]
NO_DBS_SHARE = _mix["no_dbs_share"]
STALE_SHARE, EXPIRED_SHARE = _mix["stale_share"], _mix["expired_share"]
