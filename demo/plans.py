"""The shape of a demo plan: organisations, their people and their listings, as plain data."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify

from directory.choices import DBSLevel, Freshness


@dataclass
class StaffPlan:
    full_name: str
    role: str
    works_with_children: bool = True
    dbs: str = "verified"  # verified, self_declared, due_soon, lapsed_grace, lapsed_hidden, none
    level: str = DBSLevel.ENHANCED_CHILDREN
    update_service: bool = False


@dataclass
class ListingPlan:
    model: type
    fields: dict
    taxonomy: dict[str, list[str]]  # relation name -> slugs (or LA codes, or weekday numbers)
    staff_index: int | None = None  # the named PA, for personal assistant listings
    freshness: str = Freshness.CURRENT
    assured_days_ago: int = 0


@dataclass
class OrgPlan:
    archetype: str
    name: str
    kind: str
    la: str
    fields: dict
    about: str
    staff: list[StaffPlan] = field(default_factory=list)
    listings: list[ListingPlan] = field(default_factory=list)
    demo_account: str = ""  # "demo-provider" or "demo-pa"

    @property
    def slug(self) -> str:
        return slugify(self.name)[:180]


def money(value: float) -> Decimal:
    return Decimal(str(round(value * 2) / 2)).quantize(Decimal("0.01"))


def clock(text: str) -> datetime.time:
    hours, minutes = text.split(":")
    return datetime.time(int(hours), int(minutes))
