"""Every district of the gazetteer belongs to the council that commissions short breaks there
(gazetteer/data/councils.csv), in one of England's nine regions."""

import csv
from pathlib import Path

from gazetteer.councils import by_region, council_of, councils, districts_of

DISTRICTS = Path(__file__).resolve().parents[2] / "gazetteer" / "data" / "local_authorities.csv"


def test_every_current_district_has_a_commissioning_council():
    with DISTRICTS.open(encoding="utf-8") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    current = [code for code in codes if not code.startswith("E10")]  # a retired county code
    assert all(council_of(code) for code in current)
    assert {c.code[:3] for c in councils()} == {"E06", "E08", "E09", "E10"}


def test_a_district_in_a_two_tier_area_belongs_to_its_county():
    assert council_of("E07000223").name == "West Sussex"  # Adur
    assert council_of("E07000223").region == "South East"
    assert "E07000223" in districts_of(["E10000032"])
    assert districts_of(["E06000057"]) == ["E06000057"]  # a unitary council is itself


def test_sheffield_is_one_council_whichever_code_a_postcode_carries():
    assert council_of("E08000019") == council_of("E08000039")
    assert [c.name for c in councils()].count("Sheffield") == 1


def test_councils_are_grouped_by_region_with_the_providers_own_first():
    groups = by_region(first="E10000032")
    assert len(groups) == 9
    region, first_group = groups[0]
    assert region == "South East" and first_group[0].name == "West Sussex"
    assert [region for region, _ in groups[1:]] == sorted(region for region, _ in groups[1:])
