"""Measure the Open Referral UK API at scale: `make bench`, or `manage.py bench_openref`.

Runs on the benchmark database the search and matching benchmarks leave (bench.sqlite3, see
config/settings/bench.py: the full England gazetteer and 100,000 listings across its real
postcodes), adding listings in bulk (`directory.bulk.create_listings`) when it has fewer than
--size; `--reset` deletes them first, so `--size 10000` can be tried quickly. Through Django's
whole stack (the test client, DEBUG off) it measures:

  services, a page   GET /api/openreferral/services?per_page=50&page=N, the pages spread over
                     the whole range, first and last included: p50 and p95
  service by id      GET /api/openreferral/services/{id}, random published services, fully
                     nested: p50 and p95
  ndjson stream      GET /api/openreferral/services?format=ndjson read to the end, in a fresh
                     process: the total time, the lines (one a service, which must equal the
                     list's total_items) and the process's peak RSS before the request,
                     after the first tenth of the lines and at the end (see `peak_rss_mb`)

and checks the targets: both p95s <= 150 ms, the stream in under 60 s with every service, and
peak RSS growing by less than 20 MB over the last nine tenths of the stream (so memory does
not grow with the number of listings). Exits non-zero when one is missed, unless --no-check.
"""

import json
import random
import resource
import statistics
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from directory.bulk import create_listings
from directory.models import ListingPage
from gazetteer.models import Postcode
from openref.queries import published

API = "/api/openreferral"
PER_PAGE = 50
PAGE_P95_TARGET_MS = 150
DETAIL_P95_TARGET_MS = 150
STREAM_TARGET_S = 60
RSS_GROWTH_TARGET_MB = 20
FULL_GAZETTEER = 1_000_000  # as bench_search and bench_matching: the same database
RSS_EVERY = 1000  # lines between two readings of the stream's peak RSS


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB.

    On Linux, `getrusage`'s ru_maxrss is carried over a fork and an exec: a process started
    by one that had grown to 300 MB reports 300 MB from its first line. So there it reads
    VmHWM, the same peak counted from the process's own start; elsewhere, ru_maxrss
    (kilobytes, bytes on macOS)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class QueryCounter:
    """Counts the queries run, keeping none (a stream runs too many to capture)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class Command(BaseCommand):
    help = "Time the Open Referral UK API's list, detail and ndjson stream at 100,000 listings."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=100_000, help="Listings in the database")
        parser.add_argument("--requests", type=int, default=200, help="Requests per scenario")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-check", action="store_true", help="Report the figures without failing"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the benchmark listings first, then write --size of them",
        )
        parser.add_argument(
            "--stream-only",
            action="store_true",
            help="Only read the whole ndjson stream and print its figures as JSON (the "
            "benchmark runs this in a fresh process, so its peak RSS is the stream's own)",
        )

    def handle(self, *args, size, requests, seed, no_check, reset, stream_only, **options):
        if stream_only:
            self.stdout.write(json.dumps(self.stream()))
            return
        self.prepare()
        if reset:
            self.reset()
        have = ListingPage.objects.count()
        if have > size:
            raise CommandError(
                f"The benchmark database already has {have:,} listings, more than {size:,}: "
                f"run with --reset to measure {size:,}"
            )
        if have < size:
            self.grow(size - have, seed + have)
        public = published().count()
        if not public:
            raise CommandError("No published services to measure")
        self.stdout.write(
            f"{public:,} published services of {size:,} listings; {requests} requests per "
            f"scenario; database {connection.vendor}\n"
        )
        client = Client()
        rng = random.Random(seed)  # noqa: S311 (choosing pages, not secrets)
        total_items, total_pages = self.list_totals(client)
        if total_items != public:
            raise CommandError(f"The API says {total_items:,} services; {public:,} are published")
        # Pages spread evenly from the first to the last (both asked), in a random order.
        pages = [1 + round(i * (total_pages - 1) / max(1, requests - 1)) for i in range(requests)]
        rng.shuffle(pages)
        ids = [str(value) for value in published().values_list("uuid", flat=True)]
        chosen = rng.sample(ids, requests) if len(ids) >= requests else rng.choices(ids, k=requests)
        scenarios = {
            f"services, {PER_PAGE} a page (1-{total_pages:,})": (
                [f"{API}/services?per_page={PER_PAGE}&page={page}" for page in pages],
                PAGE_P95_TARGET_MS,
            ),
            "service by id, fully nested": (
                [f"{API}/services/{value}" for value in chosen],
                DETAIL_P95_TARGET_MS,
            ),
        }
        self.stdout.write(f"{'scenario':<34} {'p50':>9} {'p95':>9} {'max queries':>12}")
        problems = []
        for name, (urls, target) in scenarios.items():
            p50, p95, queries = self.measure(client, urls)
            self.stdout.write(f"{name:<34} {p50:>7.1f}ms {p95:>7.1f}ms {queries:>12}")
            if p95 > target:
                problems.append(f"{name}: p95 {p95:.1f} ms (target {target} ms)")
        problems += self.measure_stream(total_items)
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
        """Remove every bench listing (as `bench_search --reset`: this database is the
        benchmarks' own) with plain deletes, not 100,000 Wagtail page deletions."""
        from wagtail.models import Page

        from directory.bulk import bench_providers
        from directory.models import LISTING_MODELS, ListingStatus

        if settings.DEBUG or "bench" not in str(connection.settings_dict["NAME"]):
            raise CommandError("--reset only runs against a benchmark database")
        ids = list(ListingPage.objects.values_list("pk", flat=True))
        self.stdout.write(f"Deleting {len(ids):,} listings")
        with transaction.atomic():
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

    # --- measuring ------------------------------------------------------------------------------

    def list_totals(self, client) -> tuple[int, int]:
        response = client.get(f"{API}/services", {"per_page": PER_PAGE})
        if response.status_code != 200:
            raise CommandError(f"{API}/services returned {response.status_code}")
        body = response.json()
        return body["total_items"], body["total_pages"]

    def measure(self, client, urls: list[str]) -> tuple[float, float, int]:
        for url in urls[:5]:  # warm caches and connections
            client.get(url)
        timings, queries = [], []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} returned {response.status_code}")
            queries.append(len(captured.captured_queries))
        return statistics.median(timings), statistics.quantiles(timings, n=20)[-1], max(queries)

    def measure_stream(self, total_items: int) -> list[str]:
        """Stream every service in a fresh process and check its figures."""
        command = [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "bench_openref",
            "--stream-only",
            f"--settings={settings.SETTINGS_MODULE}",
        ]
        connection.close()  # SQLite: let the other process read without waiting on this one
        done = subprocess.run(  # noqa: S603 (this same command, in a fresh process)
            command, cwd=settings.BASE_DIR, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise CommandError(f"The stream failed:\n{done.stderr[-3000:]}")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        lines, seconds = figures["lines"], figures["seconds"]
        readings = figures["rss"]  # [lines so far, peak RSS in MB], every RSS_EVERY lines
        tenth = next((mb for at, mb in readings if at >= lines / 10), readings[-1][1])
        end = readings[-1][1]
        self.stdout.write(
            f"\nndjson stream of every service: {lines:,} lines (total_items {total_items:,}) "
            f"in {seconds:.1f} s ({lines / max(seconds, 0.001):,.0f} a second), "
            f"{figures['bytes'] / 1024 / 1024:,.0f} MB, {figures['queries']:,} queries "
            f"({figures['queries'] / max(lines, 1) * 1000:.0f} per 1,000 services)"
        )
        self.stdout.write(
            f"peak RSS of the streaming process: {figures['rss_before']:.1f} MB before the "
            f"request, {tenth:.1f} MB after the first tenth of the lines, {end:.1f} MB at the "
            f"end (+{end - tenth:.1f} MB over the last nine tenths)"
        )
        problems = []
        if lines != total_items:
            problems.append(f"The stream gave {lines:,} lines; the API says {total_items:,}")
        if seconds >= STREAM_TARGET_S:
            problems.append(f"The stream took {seconds:.1f} s (target < {STREAM_TARGET_S} s)")
        if end - tenth > RSS_GROWTH_TARGET_MB:
            problems.append(
                f"Peak RSS grew {end - tenth:.1f} MB over the stream's last nine tenths "
                f"(target < {RSS_GROWTH_TARGET_MB} MB)"
            )
        return problems

    def stream(self) -> dict:
        """Read `?format=ndjson` to the end, counting lines and keeping none."""
        client = Client()
        counter = QueryCounter()
        before = peak_rss_mb()
        lines = size = 0
        readings = []
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            response = client.get(f"{API}/services", {"format": "ndjson"})
            if response.status_code != 200:
                raise CommandError(f"The stream returned {response.status_code}")
            for chunk in response.streaming_content:
                lines += chunk.count(b"\n")
                size += len(chunk)
                if lines >= (len(readings) + 1) * RSS_EVERY:
                    readings.append((lines, peak_rss_mb()))
            seconds = time.perf_counter() - started
        readings.append((lines, peak_rss_mb()))
        return {
            "lines": lines,
            "bytes": size,
            "seconds": seconds,
            "queries": counter.count,
            "rss_before": before,
            "rss": readings,
        }
