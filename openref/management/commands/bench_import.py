"""Time the import of a large council spreadsheet: the dry run, then the import itself,
published at once or (`--drafts`) sent to moderation (target: 10,000 rows in under 2 minutes,
the two together).

    make bench   (or: BENCH_DB=bench-import.sqlite3 manage.py bench_import --rows 10000)
"""

import csv
import io
import random
import resource
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from directory.models import ListingPage, Need, ServiceType
from gazetteer.models import Postcode
from openref.importer import engine, runs
from openref.models import ImportRun
from openref.spreadsheet import HEADERS

TARGET_SECONDS = 120
ROWS_PER_ORGANISATION = 20


class Command(BaseCommand):
    help = "Time checking and importing a spreadsheet of --rows listings (target < 2 minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--drafts",
            action="store_true",
            help="Import as drafts sent to moderation (default: published at once)",
        )

    def handle(self, *args, rows, seed, drafts, **options):
        call_command("migrate", verbosity=0)
        call_command("setup_site", verbosity=0)
        if not Postcode.objects.exists():
            call_command("load_gazetteer", areas=["NE", "TD", "DH"], verbosity=1)
        content = spreadsheet(rows, random.Random(seed))  # noqa: S311 (test data)
        source = f"bench {time.time():.0f}"
        before = ListingPage.objects.count()
        started = time.perf_counter()
        run = runs.start(user=None, source=source, origin="bench.csv", format="csv",
                         content=content)  # fmt: skip
        checked = time.perf_counter() - started
        counts = run.preview["counts"]
        if counts["error"]:
            first = next(r for r in run.preview["rows"] if r["outcome"] == "error")
            raise CommandError(f"{counts['error']} rows refused, e.g. {first}")
        run = ImportRun.objects.get(pk=run.pk)
        run.publish = not drafts
        started = time.perf_counter()
        result = engine.apply(run, user=None)
        applied = time.perf_counter() - started
        made = ListingPage.objects.count() - before
        total = checked + applied
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"{rows:,} rows ({'as drafts for moderation' if drafts else 'published'}): "
            f"dry run {checked:.1f}s ({1000 * checked / rows:.1f} ms a row), "
            f"import {applied:.1f}s ({1000 * applied / rows:.1f} ms a row), "
            f"{total:.1f}s in all; {made:,} listings created, "
            f"{result['counts']['error']} refused; peak memory {peak:.0f} MB"
        )
        if made != rows:
            raise CommandError(f"Expected {rows:,} listings, {made:,} were created")
        limit = TARGET_SECONDS * rows / 10_000
        if total > limit:
            raise CommandError(f"Over {limit:.0f} s")
        self.stdout.write(self.style.SUCCESS(f"Within {limit:.0f} s."))


def spreadsheet(rows: int, rng: random.Random) -> bytes:
    """A council's spreadsheet: real postcodes, the three kinds, lists by name."""
    postcodes = list(
        Postcode.objects.filter(local_authority_code__startswith="E")
        .order_by("?")
        .values_list("postcode", flat=True)[: rows * 2]
    )
    needs = list(Need.objects.values_list("name", flat=True))
    types = list(ServiceType.objects.values_list("name", flat=True))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADERS)
    writer.writeheader()
    for n in range(rows):
        kind = rng.choice(
            ["Short break service", "Personal assistant", "Inclusive club or activity"]
        )
        pa = kind == "Personal assistant"
        org = n // ROWS_PER_ORGANISATION
        postcode = postcodes[n % len(postcodes)]
        writer.writerow(
            {
                "Listing id": f"bench-{n}",
                "Organisation id": f"org-{org}",
                "Organisation name": f"Bench provider {org}",
                "Kind": kind,
                "Name": f"{kind} {n}",
                "Summary": "Activities for disabled children and young people, with trained staff.",
                "Description": "Small groups.\n\nA quiet room is always available.",
                "Service types": "; ".join(rng.sample(types, min(2, len(types)))),
                "Youngest age": rng.choice([0, 5, 8, 11]),
                "Oldest age": rng.choice([16, 18, 25]),
                "Needs supported": "; ".join(rng.sample(needs, min(3, len(needs)))),
                "At a venue": "No" if pa else "Yes",
                "Comes to the family": "Yes" if pa else "No",
                "Address line 1": "" if pa else f"{n} High Street",
                "Postcode": postcode.split(" ")[0] if pa else postcode,
                "Travels up to (miles)": rng.choice([5, 10, 20]) if pa else "",
                "Days": "Saturday; Sunday",
                "Opens at": "10:00",
                "Closes at": "16:00",
                "Cost (£)": rng.choice(["0", "12.50", "30"]),
                "Cost per": rng.choice(["hour", "session"]),
                "Space now": rng.randint(0, 10),
                "Inclusion support": "An extra worker." if kind.startswith("Inclusive") else "",
                "Contact email": f"hello{org}@example.org",
            }
        )
    return out.getvalue().encode()
