"""The load test's data on top of the demo data (`loadtest/run.sh` runs it before every run):

manage.py seed_loadtest --listings 100000   # the directory topped up to 100,000 listings
manage.py seed_loadtest --accounts 10 --requests 40   # with LOADTEST_PASSWORD set

Listings are added in bulk until the directory holds --listings (0: none added); --accounts
provider and --accounts broker accounts sign in with the password in LOADTEST_PASSWORD (set
again on every run); --requests requests wait in the brokers' queue. Idempotent: a second run
with the same numbers adds nothing. Never in production: the accounts' password is in the
environment of whoever runs the load test (see demo/loadtest.py).
"""

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import loadtest
from home.site_setup import ensure_site


class Command(BaseCommand):
    help = (
        "Top the load test's database up to --listings listings, with --accounts provider and "
        "broker accounts (password: LOADTEST_PASSWORD) and --requests waiting requests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=0, help="Listings in all, at least")
        parser.add_argument("--accounts", type=int, default=0, help="Of providers and of brokers")
        parser.add_argument("--requests", type=int, default=0, help="Waiting in brokers' queue")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, listings, accounts, requests, seed, **options):
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError(
                "seed_loadtest creates accounts whose password is in the environment: "
                "never in production"
            )
        password = os.environ.get("LOADTEST_PASSWORD", "")
        if accounts and not password:
            raise CommandError("Set LOADTEST_PASSWORD, the password of this run's accounts")
        ensure_site()
        try:
            self.listings(listings, seed)
            if accounts:
                providers, brokers = loadtest.accounts(accounts, password=password)
                self.stdout.write(
                    f"{len(providers)} provider and {len(brokers)} broker accounts "
                    f"(loadtest-provider-N, loadtest-broker-N) with this run's password"
                )
            if requests:
                made = loadtest.waiting_requests(requests, seed=seed)
                self.stdout.write(f"{made} requests added to the brokers' queue ({requests} asked)")
        except ValueError as error:
            raise CommandError(str(error)) from error

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
