"""Realistic demo data: providers and listings in Northumberland (rural) and Newcastle (urban).

manage.py seed_demo --seed 1              # about 320 listings, and a login for every role
manage.py seed_demo --if-empty --seed 1   # only when there are no listings yet (`make run`)
manage.py seed_demo --listings 5000       # a bigger county (benchmarks), more organisations

Every postcode and coordinate is real, taken from the offline gazetteer (`load_gazetteer
--areas NE TD DH`; without TD and DH it uses what is loaded). Everything else is invented:
organisations, people, addresses, DBS certificate numbers (12 digits starting 99), Ofsted URNs
(EY99/SC99...), emails (example.org and example.com) and phone numbers (Ofcom's drama ranges:
0191 498 0xxx, 01632 960xxx, 07700 900xxx, which are never given to real people).

The same seed gives the same data. Idempotent: organisations are keyed by their slug, accounts
by username, so running it again creates nothing new. The words and numbers are in
`demo/data/`, the decisions in `demo/planner.py`, the writing in `demo/writer.py`.
"""

import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.places import load_places, taxonomy_slugs
from demo.planner import Planner
from demo.report import print_logins, print_summary
from demo.writer import write_demo
from directory.models import ListingPage
from home.site_setup import ensure_site

DEFAULT_LISTINGS = 320
MIN_LISTINGS = 12


class Command(BaseCommand):
    help = (
        "Load realistic demo data for Northumberland and Newcastle (real postcodes, invented "
        "providers) and a login for every role. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data")
        parser.add_argument(
            "--listings",
            type=int,
            default=DEFAULT_LISTINGS,
            help=f"How many listings (default {DEFAULT_LISTINGS}); organisations scale with it",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the demo logins) if there are listings already",
        )

    def handle(self, *args, seed=1, listings=DEFAULT_LISTINGS, if_empty=False, **options):
        started = time.monotonic()
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError(
                "seed_demo creates accounts with a published password: never in production"
            )
        if listings < MIN_LISTINGS:
            raise CommandError(f"--listings must be at least {MIN_LISTINGS}")
        directory = ensure_site()
        existing = ListingPage.objects.count()
        if if_empty and existing:
            self.stdout.write(f"Demo data not loaded: there are {existing:,} listings already.")
            print_logins(self.stdout)
            return

        places = load_places()
        rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        plans = Planner(rng, places, taxonomy_slugs()).plan(listings)
        towns = sorted({p.town.name for towns in places.values() for p in towns})
        self.stdout.write(
            f"Seeding demo data (seed {seed}): {listings:,} listings from {len(plans):,} "
            f"organisations in {len(towns)} towns and cities."
        )
        seeder, accounts_created = write_demo(
            plans, directory=directory, seed=seed, total=listings, write=self.stdout.write
        )
        print_summary(self.stdout, self.style, seeder, accounts_created, time.monotonic() - started)
        print_logins(self.stdout)
