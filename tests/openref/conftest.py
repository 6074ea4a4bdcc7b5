"""A small published directory and the Open Referral UK schemas to check the API against."""

import datetime
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from core.dates import today
from directory.models import ListingStatus
from tests.factories.directory import (
    InclusiveClubPageFactory,
    PersonalAssistantPageFactory,
    ShortBreakServicePageFactory,
    gazetteer_postcode,
)

SCHEMA_DIR = Path(__file__).parent / "schema"
SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"
API = "/api/openreferral"

# The personal assistant's home: the API must never give away this street or postcode.
PA_STREET = "12 Acacia Avenue"


def _registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((SCHEMA_BASE + path.name, Resource(contents, specification=DRAFT202012)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(schema_name: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": SCHEMA_BASE + schema_name}, registry=REGISTRY, format_checker=FormatChecker()
    )


def assert_valid(data, schema_name: str):
    errors = sorted(validator(schema_name).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def assert_no_nulls(data, where="$"):
    """Optional fields with no value are left out: no null, no empty string, list or object."""
    if isinstance(data, dict):
        for key, value in data.items():
            assert value is not None, f"{where}.{key} is null"
            if isinstance(value, str | list | dict) and key != "contents":
                assert len(value) > 0, f"{where}.{key} is empty"
            assert_no_nulls(value, f"{where}.{key}")
    elif isinstance(data, list):
        for index, item in enumerate(data):
            assert item is not None, f"{where}[{index}] is null"
            assert_no_nulls(item, f"{where}[{index}]")


def ndjson(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines() if line]


@pytest.fixture
def published(directory, org_a, org_b):
    """Two providers' listings of every kind, a PA, and listings the public must not see."""
    # Venues' postcodes are published in full: none shares the PA's (the 7th in NE46).
    breaks = [
        ShortBreakServicePageFactory(
            organisation=org_a, title=f"Saturday club {n}", postcode=gazetteer_postcode(n, "NE46")
        )
        for n in range(3)
    ]
    club = InclusiveClubPageFactory(organisation=org_b, title="Friday youth club")
    pa = PersonalAssistantPageFactory(
        title="Sam R., personal assistant",
        address_line_1=PA_STREET,
        postcode=gazetteer_postcode(7, "NE46"),
        dbs=True,
    )
    draft = ShortBreakServicePageFactory(organisation=org_a, title="Draft club", live=False)
    expired = ShortBreakServicePageFactory(organisation=org_b, title="Expired club")
    ListingStatus.objects.filter(listing_id=expired.pk).update(
        assured_date=today() - datetime.timedelta(weeks=200)
    )
    ListingStatus.objects.filter(listing_id=club.pk).update(
        kitemark_awarded_on=today() - datetime.timedelta(days=30),
        kitemark_expires_on=today() + datetime.timedelta(days=335),
    )
    return {"breaks": breaks, "club": club, "pa": pa, "draft": draft, "expired": expired}
