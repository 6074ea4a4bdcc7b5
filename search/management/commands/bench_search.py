"""Measure geographic search at scale: `make bench` (SQLite) or `make bench-postgres`.

For each size (default 10,000 then 100,000 listings across England's real postcodes, added in
bulk to the benchmark database and kept there), runs a fixed mix of urban and rural family
searches, each with three filters (age, a need, a day), and prints p50 and p95 of:

  page     the whole search page through Django (form, gazetteer, search, facets, rendering)
  search   the search interface alone (query object in, results with facets out)
  floor    the raw SQL floor: the bounding boxes of both questions (venues at the radius the
           search settled on; providers who travel, in the box of the furthest anyone does)
           and exact distances, nothing else: no filters, visibility, facets or ranking
  floor-venues  the venue box alone, for comparison

then checks the targets: page p95 <= 150 ms at the largest size, search within 3x of the
floor, and the largest size costing at most 3x the smallest. With `--engine`, also times
indexing every listing into the search engine (an in-memory OpenSearch-compatible server is
started when no SEARCH_ENGINE_URL is configured).
"""

import math
import random
import statistics
import time
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import override_settings

from directory.bulk import create_listings
from directory.models import ListingPage, Need
from gazetteer.models import Postcode
from search import backends
from search.backends.embedded import longest_travel
from search.backends.listing_sql import fetch_all
from search.places import classify
from search.query import Filters, Place, SearchQuery, bounding_box, miles_from

PAGE_P95_TARGET_MS = 150
FLOOR_RATIO_TARGET = 3
GROWTH_TARGET = 3
FULL_GAZETTEER = 1_000_000  # England has about 1.5 million live postcodes
SATURDAY = 6


@dataclass(frozen=True)
class Case:
    postcode: str
    place: Place
    age: int
    need: str
    day: int

    @property
    def url(self) -> str:
        return (
            f"/search/?postcode={self.postcode.replace(' ', '+')}"
            f"&age={self.age}&need={self.need}&day={self.day}"
        )

    def query(self) -> SearchQuery:
        filters = Filters(age=self.age, needs=(self.need,), days=(self.day,))
        return SearchQuery(place=self.place, filters=filters, page_size=20)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


def floor_query(place: Place, radius: float, longest: int = 0) -> int:
    """The least any search must do, in raw SQL: the indexed bounding box of the venues within
    `radius` and, when `longest` is given, of the providers who travel (the box of the
    furthest anyone travels), then exact distances. No filters, visibility or facets."""
    table = ListingPage._meta.db_table
    found = 0
    miles_to = miles_from(place.latitude, place.longitude)
    boxes = [(radius, "at_venue = %s", None)]
    if longest:
        boxes.append((longest, "comes_to_family = %s", "travel_radius_miles"))
    for reach, flag, own_radius in boxes:
        min_lat, max_lat, min_lon, max_lon = bounding_box(place.latitude, place.longitude, reach)
        rows = fetch_all(  # as search runs its statements (prepared, on PostgreSQL)
            f"SELECT latitude, longitude, {own_radius or 'NULL'} FROM {table} "  # noqa: S608
            f"WHERE latitude BETWEEN %s AND %s AND longitude BETWEEN %s AND %s AND {flag}",
            [min_lat, max_lat, min_lon, max_lon, True],
        )
        found += sum(1 for lat, lon, travels in rows if miles_to(lat, lon) <= (travels or reach))
    return found


class Command(BaseCommand):
    help = "Time geographic search at 10,000 and 100,000 listings next to the raw SQL floor."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
        parser.add_argument("--places", type=int, default=20, help="Urban and rural places each")
        parser.add_argument("--rounds", type=int, default=5, help="Times each query is timed")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--engine", action="store_true", help="Also time engine indexing")
        parser.add_argument(
            "--no-check", action="store_true", help="Report the figures without failing"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the benchmark listings first, so every size is measured in this run",
        )

    def handle(self, *args, sizes, places, rounds, seed, engine, no_check, reset, **options):
        self.prepare()
        if reset:
            self.reset()
        cases = self.cases(places, seed)
        self.stdout.write(
            f"Database {connection.vendor}; {len(cases)} searches "
            f"({places} urban, {places} rural) x {rounds} rounds, filters: age, need, day\n"
        )
        header = f"{'listings':>9} {'':<12} {'p50':>8} {'p95':>8}"
        self.stdout.write(header)
        figures = {}
        for size in sorted(sizes):
            have = ListingPage.objects.count()
            if have > size:
                raise CommandError(
                    f"The benchmark database already has {have:,} listings, more than "
                    f"{size:,}: run with --reset to measure every size"
                )
            if have < size:
                self.grow(size - have, seed + have)
            figures[size] = self.measure(cases, rounds)
            for name in ("page", "search", "floor", "floor-venues"):
                p50, p95 = figures[size][name]
                self.stdout.write(f"{size:>9,} {name:<12} {p50:>6.1f}ms {p95:>6.1f}ms")
        if engine:
            self.time_indexing()
        problems = self.missed_targets(figures)
        for problem in problems:
            self.stdout.write(self.style.WARNING(problem))
        if problems and not no_check:
            raise CommandError(f"{len(problems)} target(s) missed")
        if not problems:
            self.stdout.write(self.style.SUCCESS("All targets met."))

    # --- set-up ---------------------------------------------------------------------------------

    def prepare(self):
        call_command("migrate", verbosity=0)
        call_command("setup_site", verbosity=0)
        if Postcode.objects.count() < FULL_GAZETTEER:
            self.stdout.write("Loading the gazetteer for all of England (once, about 5 minutes)")
            call_command("load_gazetteer", verbosity=1)

    def grow(self, count: int, seed: int):
        self.stdout.write(f"Adding {count:,} listings in bulk (kept in the benchmark database)")
        started = time.perf_counter()

        def progress(done, total):
            if done % 10_000 == 0 or done == total:
                self.stdout.write(f"  {done:,}/{total:,}")

        create_listings(count, seed=seed, progress=progress)
        self.stdout.write(f"  took {time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum soon would after a bulk load

    def reset(self):
        """Remove every bench listing (this database is the benchmark's own: see
        config/settings/bench.py) with plain deletes, not 100,000 Wagtail page deletions."""
        from wagtail.models import Page

        from directory.bulk import bench_providers
        from directory.models import LISTING_MODELS, ListingStatus

        if settings.DEBUG or "bench" not in str(connection.settings_dict["NAME"]):
            raise CommandError("--reset only runs against a benchmark database")
        ids = list(ListingPage.objects.values_list("pk", flat=True))
        self.stdout.write(f"Deleting {len(ids):,} listings")
        with transaction.atomic():
            # Rows that protect a listing from deletion (bench_sufficiency's brokerage offers)
            # go first, with what cascades from them; search does not import those apps.
            for model in apps.get_models():
                for field in model._meta.concrete_fields:
                    if (
                        field.many_to_one
                        and field.related_model is ListingPage
                        and field.remote_field.on_delete is models.PROTECT
                    ):
                        model._base_manager.all().delete()
            for field in ListingPage._meta.many_to_many:
                field.remote_field.through.objects.all()._raw_delete(connection.alias)
            ListingStatus.objects.all()._raw_delete(connection.alias)
            for model in LISTING_MODELS.values():
                model._base_manager.all()._raw_delete(connection.alias)
            ListingPage._base_manager.all()._raw_delete(connection.alias)
            for start in range(0, len(ids), 5000):
                Page.objects.filter(pk__in=ids[start : start + 5000])._raw_delete(connection.alias)
            for provider in bench_providers(0):
                Page.objects.filter(pk=provider.pk).update(numchild=0)

    def cases(self, per_kind: int, seed: int) -> list[Case]:
        """A fixed mix: the same seed gives the same urban and rural places and filters."""
        rng = random.Random(seed)  # noqa: S311 (choosing benchmark places)
        needs = sorted(Need.objects.values_list("slug", flat=True))
        low = Postcode.objects.order_by("pk").values_list("pk", flat=True).first()
        high = Postcode.objects.order_by("-pk").values_list("pk", flat=True).first()
        urban, rural = [], []
        while len(urban) < per_kind or len(rural) < per_kind:
            row = Postcode.objects.filter(pk__gte=rng.randint(low, high)).order_by("pk").first()
            rural_place = classify(row.latitude, row.longitude, row.lsoa11).rural
            bucket = rural if rural_place else urban
            if len(bucket) >= per_kind:
                continue
            place = Place(
                latitude=row.latitude,
                longitude=row.longitude,
                local_authority_code=row.local_authority_code,
                rural=rural_place,
                label=row.sector,
            )
            day = SATURDAY if rng.random() < 0.5 else rng.randint(1, 5)
            bucket.append(Case(row.postcode, place, rng.randint(5, 15), rng.choice(needs), day))
        return urban + rural

    # --- measuring ------------------------------------------------------------------------------

    def measure(self, cases: list[Case], rounds: int) -> dict[str, tuple[float, float]]:
        client = Client()
        timings = {"page": [], "search": [], "floor": [], "floor-venues": []}
        longest = longest_travel()
        for case in cases:  # warm caches, connections and templates
            client.get(case.url)
        for _ in range(rounds):
            for case in cases:
                started = time.perf_counter()
                response = client.get(case.url)
                timings["page"].append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{case.url} returned {response.status_code}")
                started = time.perf_counter()
                results = backends.run(case.query())
                timings["search"].append((time.perf_counter() - started) * 1000)
                radius = results.radius_miles or settings.SEARCH_RURAL_RADII[-1]
                started = time.perf_counter()
                floor_query(case.place, radius, longest)
                timings["floor"].append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                floor_query(case.place, radius)
                timings["floor-venues"].append((time.perf_counter() - started) * 1000)
        return {
            name: (statistics.median(values), percentile(values, 0.95))
            for name, values in timings.items()
        }

    def time_indexing(self):
        from search.indexing import drop_index, rebuild

        server = None
        engine = dict(settings.SEARCH_ENGINE)
        if not engine.get("URL"):
            from osmem_server import OsmemServer

            server = OsmemServer.start(freeze=False, japanese=False)
            engine = {"KIND": "opensearch", "URL": server.url, "TIMEOUT": 60}
        try:
            with override_settings(SEARCH_ENGINE=engine, SEARCH_INDEX_PREFIX="bench-"):
                started = time.perf_counter()
                count = rebuild()
                seconds = time.perf_counter() - started
                drop_index()
        finally:
            if server is not None:
                server.close()
        rate = count / seconds if seconds else 0
        self.stdout.write(
            f"Engine ({engine['KIND']}): indexed {count:,} listings in {seconds:.1f} s "
            f"({rate:,.0f} a second)"
        )

    def missed_targets(self, figures: dict) -> list[str]:
        problems = []
        largest, smallest = max(figures), min(figures)
        page_p95 = figures[largest]["page"][1]
        if connection.vendor == "sqlite" and page_p95 > PAGE_P95_TARGET_MS:
            problems.append(
                f"Page p95 {page_p95:.1f} ms at {largest:,} listings (target "
                f"{PAGE_P95_TARGET_MS} ms)"
            )
        for size, figure in figures.items():
            ratio = figure["search"][1] / max(figure["floor"][1], 0.001)
            venues = figure["search"][1] / max(figure["floor-venues"][1], 0.001)
            self.stdout.write(
                f"{size:>9,} search p95 / floor p95 = {ratio:.1f}x "
                f"(against the venue box alone: {venues:.1f}x)"
            )
            if ratio > FLOOR_RATIO_TARGET:
                problems.append(f"Search p95 is {ratio:.1f}x the floor at {size:,} listings")
        if largest != smallest:
            growth = figures[largest]["page"][1] / max(figures[smallest]["page"][1], 0.001)
            self.stdout.write(f"{smallest:,} -> {largest:,} listings: page p95 x{growth:.1f}")
            if growth > GROWTH_TARGET:
                problems.append(f"Page p95 grows {growth:.1f}x from {smallest:,} to {largest:,}")
        return problems
