"""The load test's data on top of the demo data (`loadtest/run.sh` runs it before every run):

manage.py seed_loadtest --listings 100000   # the directory topped up to 100,000 listings

Listings are added in bulk until the directory holds --listings (0: none added). Idempotent: a
second run with the same number adds nothing (see demo/loadtest.py).
"""

import time

from django.core.management.base import BaseCommand

from demo import loadtest
from home.site_setup import ensure_site


class Command(BaseCommand):
    help = "Top the load test's database up to --listings listings."

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=0, help="Listings in all, at least")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, listings, seed, **options):
        ensure_site()
        self.listings(listings, seed)

    def listings(self, total: int, seed: int):
        if not total:
            return
        started = time.perf_counter()

        def progress(done, count):
            if done % 10_000 == 0 or done == count:
                self.stdout.write(f"  {done:,}/{count:,} ({time.perf_counter() - started:.0f} s)")

        made = loadtest.listings_top_up(total, seed=seed, progress=progress)
        if made:
            self.stdout.write(
                f"Added {made:,} listings in {time.perf_counter() - started:.0f} s "
                f"(directory topped up to {total:,})"
            )
        else:
            self.stdout.write(f"The directory has {total:,} listings or more already")
