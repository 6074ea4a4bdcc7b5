"""`manage.py bench_sufficiency` (`make bench-sufficiency`), tried small: it fills a disposable
database with unmet searches and brokerage requests, counts the figures, signs in as a
commissioner (with the second factor staff need) and times every view and download, and fails
when a p95 is over the target. Refuses any database but the benchmark's or a test's."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from search.models import UnmetDemand
from sufficiency.management.commands import bench_sufficiency
from sufficiency.models import Refresh

pytestmark = pytest.mark.django_db

SMALL = {
    "listings": 40,
    "unmet": 600,
    "requests": 80,
    "repeat": 2,
    "warmup": 0,
    "areas": ["NE"],
}


def run(**options) -> str:
    out = StringIO()
    call_command("bench_sufficiency", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def test_the_benchmark_times_every_view_and_download_as_a_signed_in_commissioner():
    out = run(no_check=True)
    assert UnmetDemand.objects.filter(classified_by="bench").count() == 600
    assert Refresh.objects.filter(requested_by="bench").exists()
    timed = re.findall(r"^(.+?)\s+([\d.]+)ms\s+([\d.]+)ms\s+(\d+)$", out, re.MULTILINE)
    names = [name.strip() for name, *_ in timed]
    assert sum(name.startswith("dashboard") for name in names) == 4, out
    assert sum(name.startswith("CSV ") for name in names) >= 10, out  # every table
    # Each answered 200 (the command stops at anything else, as it now would at the second
    # factor's sign-in page) with figures read from the database.
    assert all(int(queries) > 5 for *_, queries in timed), out


def test_the_benchmark_fails_when_a_view_misses_its_target(monkeypatch):
    monkeypatch.setattr(bench_sufficiency, "P95_TARGET_MS", 0)
    with pytest.raises(CommandError, match="target"):
        run(only="dashboard, unfiltered", no_refresh=True)


def test_the_benchmark_refuses_a_database_that_is_not_disposable():
    assert not bench_sufficiency.disposable("/srv/short-breaks/db.sqlite3")
    assert not bench_sufficiency.disposable("short_breaks")
    assert bench_sufficiency.disposable("/work/bench.sqlite3")
    assert bench_sufficiency.disposable("test_short_breaks_gw0")
