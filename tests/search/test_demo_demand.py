"""The demo's unmet demand tells the demo area's story: six months of it, mostly from rural
districts, some from brokerage, a few from outside the area, and seeding again adds none."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from core.dates import today
from search.models import UnmetDemand

pytestmark = pytest.mark.django_db


def test_the_demo_has_six_months_of_unmet_demand_weighted_to_rural_districts(directory):
    call_command("seed_demo", seed=4, listings=30, stdout=StringIO())
    rows = UnmetDemand.objects.all()
    total = rows.count()
    assert total >= 500
    assert rows.filter(rural=True).count() > total / 2
    assert rows.filter(source="brokerage").exclude(reasons="").exists()
    assert rows.exclude(local_authority_code__in=["E06000057", "E08000021", "E08000022"]).exists()
    oldest = rows.order_by("searched_on").first().searched_on
    assert today() - oldest >= datetime.timedelta(days=150)
    call_command("seed_demo", seed=4, listings=30, stdout=StringIO())
    assert UnmetDemand.objects.count() == total
