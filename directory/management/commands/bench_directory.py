"""Measure the public directory at scale: `make bench`.

Builds (once) a database with at least --listings listings using the demo data generator,
then requests browse pages and listing pages through Django's full request stack and prints
the median and 95th percentile times and the number of database queries for each.
"""

import random
import statistics
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from directory.models import ListingPage, ServiceType
from gazetteer.models import Postcode

TARGET_MS = 100


class Command(BaseCommand):
    help = "Time the browse and listing pages with thousands of listings (median <= 100 ms)."

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=5000)
        parser.add_argument("--requests", type=int, default=200, help="Requests per page kind")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, listings, requests, seed, **options):
        self.prepare(listings, seed)
        client = Client()
        rng = random.Random(seed)  # noqa: S311 (choosing pages to request, not secrets)
        live = list(ListingPage.objects.in_directory().values_list("url_path", flat=True))
        if not live:
            raise CommandError("No public listings to measure")
        slugs = list(ServiceType.objects.values_list("slug", flat=True))
        kinds = ["short_break", "personal_assistant", "inclusive_club"]
        scenarios = {
            "browse: all listings, first page": lambda: "/directory/",
            "browse: by kind, a later page": lambda: (
                f"/directory/?kind={rng.choice(kinds)}&page={rng.randint(2, 20)}"
            ),
            "browse: by type of service": lambda: f"/directory/?type={rng.choice(slugs)}",
            "listing page": lambda: self.public_url(rng.choice(live)),
        }
        self.stdout.write(
            f"{ListingPage.objects.count():,} listings "
            f"({len(live):,} public); {requests} requests per scenario; database "
            f"{connection.vendor}\n"
        )
        self.stdout.write(f"{'scenario':<36} {'median':>9} {'p95':>9} {'max queries':>12}")
        failures = []
        for name, make_url in scenarios.items():
            for _ in range(5):  # warm caches and connections
                client.get(make_url())
            timings, queries = [], []
            for _ in range(requests):
                url = make_url()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} returned {response.status_code}")
                queries.append(len(captured.captured_queries))
            median = statistics.median(timings)
            p95 = statistics.quantiles(timings, n=20)[-1]
            self.stdout.write(f"{name:<36} {median:>7.1f}ms {p95:>7.1f}ms {max(queries):>12}")
            if median > TARGET_MS:
                failures.append(name)
        if failures:
            raise CommandError(f"Median over {TARGET_MS} ms: {', '.join(failures)}")
        self.stdout.write(self.style.SUCCESS(f"All medians within {TARGET_MS} ms."))

    @staticmethod
    def public_url(url_path: str) -> str:
        # url_path is "/home/directory/provider/listing/"; the site root is /home/.
        return "/" + url_path.split("/", 2)[2]

    def prepare(self, listings: int, seed: int):
        call_command("migrate", verbosity=0)
        call_command("setup_site", verbosity=0)
        if not Postcode.objects.exists():
            call_command("load_gazetteer", areas=["NE", "TD", "DH"], verbosity=1)
        have = ListingPage.objects.count()
        if have < listings:
            self.stdout.write(f"Creating {listings:,} listings (once; kept in the bench database)")
            call_command("seed_demo", seed=seed, listings=listings, verbosity=1)
