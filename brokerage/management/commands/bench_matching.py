"""Measure matching one family's request against many listings: `manage.py bench_matching`.

Use a benchmark database, never the development one, e.g.
`DATABASE_URL=sqlite:////tmp/bench.sqlite3 manage.py bench_matching \
--settings=config.settings.bench`.
For each size (default 10,000 then 100,000 listings across England's real postcodes, added in
bulk by `directory.bulk.create_listings` and kept), builds a fixed set of requests (the same
seed gives the same places, ages, needs, days, kinds of support and ways of paying; half urban,
half rural), times `brokerage.matching.match` for each, and prints p50 and p95, with how many
listings each request considered and the candidates and near misses found. The target is
p95 <= 300 ms at the largest size.
"""

import random
import statistics
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from brokerage.choices import Requester, Status, SupportKind
from brokerage.matching import match
from brokerage.models import SupportRequest
from core.roles import FAMILIES
from directory.bulk import create_listings
from directory.models import FundingRoute, ListingPage, Need, Skill
from gazetteer.models import Postcode
from search.places import classify

TARGET_P95_MS = 300
FULL_GAZETTEER = 1_000_000
BENCH_FAMILY = "bench-family"
KIND_MIXES = (
    [SupportKind.PA, SupportKind.AT_HOME],
    [SupportKind.AT_VENUE],
    [SupportKind.CLUB],
    [SupportKind.PA],
    [SupportKind.AT_HOME, SupportKind.AT_VENUE, SupportKind.CLUB],
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


class Command(BaseCommand):
    help = "Time matching a request against 10,000 and 100,000 listings (p50, p95)."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
        parser.add_argument("--requests", type=int, default=20, help="Requests in the fixed set")
        parser.add_argument("--rounds", type=int, default=5, help="Times each request is matched")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-check", action="store_true", help="Report without failing")
        parser.add_argument(
            "--no-gazetteer", action="store_true", help="Do not load the full gazetteer"
        )

    def handle(self, *args, sizes, requests, rounds, seed, no_check, no_gazetteer, **options):
        self.prepare(load_gazetteer=not no_gazetteer)
        self.stdout.write(
            f"Database {connection.vendor}; {requests} requests x {rounds} rounds "
            f"(half urban, half rural; 1-2 needs, 1-2 days, a way of paying, a budget)"
        )
        self.stdout.write(
            f"{'listings':>9} {'p50':>8} {'p95':>8} {'max':>8} {'considered':>11} "
            f"{'candidates':>11} {'near misses':>12}"
        )
        worst = 0.0
        for size in sorted(sizes):
            have = ListingPage.objects.count()
            if have < size:
                self.grow(size - have, seed + have)
            cases = self.requests(requests, seed)
            timings, considered, found, near = [], [], [], []
            for case in cases:  # warm up
                match(case)
            for _ in range(rounds):
                for case in cases:
                    started = time.perf_counter()
                    result = match(case)
                    timings.append((time.perf_counter() - started) * 1000)
                    considered.append(result.considered)
                    found.append(len(result.candidates))
                    near.append(len(result.near_misses))
            p50, p95 = statistics.median(timings), percentile(timings, 0.95)
            worst = max(worst, p95) if size == max(sizes) else worst
            self.stdout.write(
                f"{size:>9,} {p50:>6.1f}ms {p95:>6.1f}ms {max(timings):>6.1f}ms "
                f"{statistics.mean(considered):>11.0f} {statistics.mean(found):>11.1f} "
                f"{statistics.mean(near):>12.1f}"
            )
        if worst > TARGET_P95_MS:
            message = f"p95 {worst:.1f} ms at {max(sizes):,} listings (target {TARGET_P95_MS} ms)"
            if no_check:
                self.stdout.write(self.style.WARNING(message))
            else:
                raise CommandError(message)
        else:
            self.stdout.write(self.style.SUCCESS(f"Target met: p95 <= {TARGET_P95_MS} ms."))

    def prepare(self, load_gazetteer: bool):
        call_command("migrate", verbosity=0)
        call_command("setup_site", verbosity=0)
        if load_gazetteer and Postcode.objects.count() < FULL_GAZETTEER:
            self.stdout.write("Loading the gazetteer for all of England (once, about 5 minutes)")
            call_command("load_gazetteer", verbosity=1)
        if not Postcode.objects.exists():
            raise CommandError("The gazetteer is empty: run manage.py load_gazetteer")

    def grow(self, count: int, seed: int):
        self.stdout.write(f"Adding {count:,} listings in bulk (kept in the benchmark database)")
        started = time.perf_counter()
        create_listings(count, seed=seed)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum would, after a bulk load
        self.stdout.write(f"  took {time.perf_counter() - started:.0f} s")

    def family(self):
        user, created = get_user_model().objects.get_or_create(
            username=BENCH_FAMILY, defaults={"email": "bench-family@example.org"}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=FAMILIES))
        return user

    def requests(self, count: int, seed: int) -> list[SupportRequest]:
        """The same fixed set every time: old bench requests are replaced."""
        from brokerage.places import sector_place

        family = self.family()
        SupportRequest.objects.filter(family=family).delete()
        rng = random.Random(seed)  # noqa: S311 (choosing benchmark requests)
        needs = list(Need.objects.order_by("pk"))
        skills = list(Skill.objects.order_by("pk"))
        funding = list(FundingRoute.objects.order_by("pk"))
        low = Postcode.objects.order_by("pk").values_list("pk", flat=True).first()
        high = Postcode.objects.order_by("-pk").values_list("pk", flat=True).first()
        urban, rural = [], []
        per_kind = max(1, count // 2)
        while len(urban) < per_kind or len(rural) < per_kind:
            row = Postcode.objects.filter(pk__gte=rng.randint(low, high)).order_by("pk").first()
            if not row.local_authority_code.startswith("E"):
                continue
            is_rural = classify(row.latitude, row.longitude, row.lsoa11).rural
            bucket = rural if is_rural else urban
            if len(bucket) < per_kind:
                bucket.append(row.postcode)
        made = []
        for postcode in urban + rural:
            place = sector_place(postcode)
            request = SupportRequest.objects.create(
                family=family,
                status=Status.ASSIGNED,
                requester=Requester.PARENT_CARER,
                age=rng.randint(5, 17),
                support_kinds=[str(k) for k in rng.choice(KIND_MIXES)],
                hours_per_week=Decimal(rng.choice((3, 6, 10))),
                postcode_sector=place.postcode_sector,
                latitude=place.latitude,
                longitude=place.longitude,
                local_authority_code=place.local_authority_code,
                rural=place.rural,
                travel_miles=rng.choice((5, 10, 20)),
                funding=rng.choice(funding),
                hourly_budget=Decimal(rng.choice((15, 20, 25))),
                consent_to_share=True,
            )
            request.needs.set(rng.sample(needs, rng.randint(1, 2)))
            if rng.random() < 0.3:
                request.skills.set(rng.sample(skills, 1))
            request.days.set(rng.sample(range(1, 8), rng.randint(1, 2)))
            made.append(request)
        return made
