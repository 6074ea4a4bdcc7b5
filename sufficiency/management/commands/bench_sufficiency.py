"""Measure the sufficiency dashboard at scale: `make bench`, or `manage.py bench_sufficiency`.

Runs on the benchmark database the search and matching benchmarks leave (bench.sqlite3, see
config/settings/bench.py: the full England gazetteer and 100,000 listings), adding listings in
bulk (`directory.bulk.create_listings`) when it has fewer than --listings. Once (kept in the
benchmark database; skipped when they are there), it bulk-creates --unmet unmet-demand rows
(`search.UnmetDemand`) and --requests brokerage requests with their needs, offers, agreement
events, agreements, reviews and anonymous outcomes, spread over the last 18 months, councils,
needs, age bands, days, rural and urban and both sources. They are written straight to the
tables (bulk_create in batches of 5,000), not through the brokerage services, but every row is
one the services could have made. `--reset` deletes those synthetic rows first (not the
listings), so `--unmet 100000` can be tried quickly.

Then it counts the dashboard's figures (`refresh_sufficiency`, timed, as the daily job does)
and, signed in as a council moderator through Django's whole stack (the test client, DEBUG
off), requests the dashboard unfiltered, for one council, for a need and an age band, and
for a 3-month period, and downloads every table's CSV, each --repeat times after a warm-up, and
prints p50, p95 and the most queries a request ran. Exits non-zero when a p95 is over 500 ms,
unless --no-check.
"""

import datetime
import random
import re
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from brokerage.choices import (
    DeclineReason,
    OfferStatus,
    Outcome,
    ReviewFeeling,
    Role,
    Status,
    SupportKind,
    UnmatchedReason,
)
from brokerage.models import (
    Agreement,
    Offer,
    RequestEvent,
    RequestOutcome,
    Review,
    SupportRequest,
)
from core.dates import add_months, today
from core.roles import COUNCIL_MODERATORS
from directory.bulk import create_listings, sample_postcodes
from directory.choices import ListingKind
from directory.models import FundingRoute, ListingPage, Need
from gazetteer.models import LocalAuthority, Postcode
from search.demand import AGE_BANDS, DAY_CODES, age_band
from search.models import UnmetDemand
from sufficiency.models import BrokerageCount, SupplyCount, UnmetCount
from sufficiency.refresh import latest_refresh, refresh_figures

DASHBOARD = "/admin/sufficiency/"
P95_TARGET_MS = 500
FULL_GAZETTEER = 1_000_000  # as bench_search, bench_matching and bench_openref
BATCH = 5000
MONTHS = 18
BENCH = "bench"  # UnmetDemand.classified_by of the synthetic rows
FAMILY_PREFIX = "bench-family-"  # the synthetic requests' families
FAMILIES = 500
MODERATOR = "bench-commissioner"
DOWNLOAD_RE = re.compile(r"download=([\w.-]+\.csv)")

STATUS_SHARE = {  # of requests sent: most closed, the recent ones still open
    Status.MATCHED: 45,
    Status.UNMATCHED: 18,
    Status.WITHDRAWN: 9,
    Status.SUBMITTED: 6,
    Status.ASSIGNED: 7,
    Status.OFFERS_SENT: 8,
    Status.CHOOSING: 4,
    Status.AGREEING: 3,
}
CLOSED = {Status.MATCHED: Outcome.MATCHED, Status.UNMATCHED: Outcome.UNMATCHED}
CLOSED[Status.WITHDRAWN] = Outcome.WITHDRAWN


def disposable(name) -> bool:
    """A database the benchmark may fill with synthetic rows: the benchmark's own, or a test
    run's, on disk or in memory (never the demo or a council's)."""
    name = str(name)
    in_memory = name == ":memory:" or "mode=memory" in name
    return "bench" in name or in_memory or name.rsplit("/", 1)[-1].startswith("test_")


class Command(BaseCommand):
    help = (
        "Time the sufficiency dashboard and its downloads with 100,000 listings, 1,000,000 "
        "unmet searches and 50,000 brokerage requests (p95 <= 500 ms)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--listings", type=int, default=100_000)
        parser.add_argument("--unmet", type=int, default=1_000_000, help="Unmet-demand rows")
        parser.add_argument("--requests", type=int, default=50_000, help="Brokerage requests")
        parser.add_argument("--repeat", type=int, default=30, help="Requests per scenario")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed requests first")
        parser.add_argument(
            "--only", default="", help="Only the scenarios whose name contains this text"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--areas",
            nargs="+",
            default=None,
            help="Only these postcode areas' gazetteer (NE DH), for a quick try; all of England "
            "by default",
        )
        parser.add_argument(
            "--no-check", action="store_true", help="Report the figures without failing"
        )
        parser.add_argument(
            "--no-refresh",
            action="store_true",
            help="Measure against the last daily count, if there is one, without counting again",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the synthetic unmet demand and brokerage requests first, then write "
            "--unmet and --requests of them",
        )

    def handle(self, *args, listings, unmet, requests, repeat, seed, no_check, reset, **options):
        self.warmup = options["warmup"]
        if settings.DEBUG or not disposable(connection.settings_dict["NAME"]):
            raise CommandError("Run with DJANGO_SETTINGS_MODULE=config.settings.bench")
        self.rng = random.Random(seed)  # noqa: S311 (benchmark data, not secrets)
        self.prepare(listings, seed, options["areas"])
        if reset:
            self.reset()
        self.fill_unmet(unmet)
        self.fill_requests(requests)
        self.stdout.write(
            f"{ListingPage.objects.count():,} listings, {UnmetDemand.objects.count():,} unmet "
            f"searches, {SupportRequest.objects.count():,} brokerage requests "
            f"({Offer.objects.count():,} offers, {RequestOutcome.objects.count():,} outcomes, "
            f"{Review.objects.count():,} reviews); {repeat} requests per scenario; database "
            f"{connection.vendor}\n"
        )
        if not (options["no_refresh"] and latest_refresh()):
            self.refresh()
        client = Client()
        moderator = self.moderator()
        client.force_login(moderator)  # django-axes wants a request to authenticate
        # Council staff sign in with a second factor: the session is marked as having passed
        # it with the bench moderator's own authenticator, as the verification page would.
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = self.authenticator(moderator).persistent_id
        session.save()
        scenarios = self.scenarios(client)
        self.stdout.write(f"{'scenario':<44} {'p50':>9} {'p95':>9} {'max queries':>12}")
        problems = []
        for name, url in scenarios.items():
            if options["only"] not in name:
                continue
            p50, p95, queries = self.measure(client, url, repeat)
            self.stdout.write(f"{name:<44} {p50:>7.1f}ms {p95:>7.1f}ms {queries:>12}")
            if p95 > P95_TARGET_MS:
                problems.append(f"{name}: p95 {p95:.1f} ms (target {P95_TARGET_MS} ms)")
        for problem in problems:
            self.stdout.write(self.style.WARNING(problem))
        if problems and not no_check:
            raise CommandError(f"{len(problems)} target(s) missed")
        if not problems:
            self.stdout.write(self.style.SUCCESS(f"Every p95 within {P95_TARGET_MS} ms."))

    def refresh(self):
        """The daily count the dashboard reads (`manage.py refresh_sufficiency`), timed."""
        self.stdout.write("Counting the dashboard's figures (refresh_sufficiency)")
        refresh = refresh_figures(requested_by="bench")
        self.stdout.write(
            f"  took {refresh.seconds:.1f} s: {UnmetCount.objects.count():,} unmet-search rows, "
            f"{SupplyCount.objects.count():,} supply rows, "
            f"{BrokerageCount.objects.count():,} brokerage rows\n"
        )

    # --- set-up ---------------------------------------------------------------------------------

    def prepare(self, listings: int, seed: int, areas: list[str] | None):
        call_command("migrate", verbosity=0)
        call_command("setup_site", verbosity=0)
        if areas:
            call_command("load_gazetteer", areas=areas, if_empty=True, verbosity=0)
        elif Postcode.objects.count() < FULL_GAZETTEER:
            self.stdout.write("Loading the gazetteer for all of England (once, about 5 minutes)")
            call_command("load_gazetteer", verbosity=1)
        have = ListingPage.objects.count()
        if have < listings:
            self.stdout.write(f"Adding {listings - have:,} listings in bulk (kept)")
            create_listings(listings - have, seed=seed + have)

    def authenticator(self, user) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        return device or TOTPDevice.objects.create(user=user, name="Bench", confirmed=True)

    def moderator(self):
        user, created = get_user_model().objects.get_or_create(
            username=MODERATOR, defaults={"email": f"{MODERATOR}@example.org"}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=COUNCIL_MODERATORS))
        return user

    def reset(self):
        self.stdout.write("Deleting the synthetic unmet demand and brokerage requests")
        UnmetDemand.objects.filter(classified_by=BENCH)._raw_delete(connection.alias)
        self.reset_requests()

    def reset_requests(self):
        """Delete the synthetic requests with plain deletes (the cascades are this command's
        own: events, offers, agreements, reviews, outcomes and the requests' needs)."""
        families = get_user_model().objects.filter(username__startswith=FAMILY_PREFIX)
        ids = SupportRequest.objects.filter(family__in=families).values("pk")
        alias = connection.alias
        with transaction.atomic():
            Review.objects.filter(agreement__request__in=ids)._raw_delete(alias)
            Agreement.objects.filter(request__in=ids)._raw_delete(alias)
            RequestEvent.objects.filter(request__in=ids)._raw_delete(alias)
            Offer.objects.filter(request__in=ids)._raw_delete(alias)
            RequestOutcome.objects.filter(request__in=ids)._raw_delete(alias)
            for field in ("needs", "days", "skills"):
                through = getattr(SupportRequest, field).through
                through.objects.filter(supportrequest_id__in=ids)._raw_delete(alias)
            SupportRequest.objects.filter(pk__in=ids)._raw_delete(alias)

    def when(self) -> datetime.date:
        """A day in the last 18 months, more of them recent (use of the site grows)."""
        days = MONTHS * 30
        return today() - datetime.timedelta(days=int(days * (1 - self.rng.random() ** 0.8)))

    def places(self, count: int) -> list[tuple]:
        """Places in a few busy councils, many ordinary ones and some out of area."""
        rows = sample_postcodes(self.rng, count)
        served = list(
            ListingPage.objects.order_by()
            .values("local_authority_code")
            .annotate(n=Count("pk"))
            .values_list("local_authority_code", flat=True)
        )
        busy = set(self.rng.sample(served, min(10, len(served))))
        weights = [5 if row[4] in busy else 1 for row in rows]
        return rows, weights

    def fill_unmet(self, count: int):
        have = UnmetDemand.objects.filter(classified_by=BENCH).count()
        if have >= count:
            return
        count -= have
        self.stdout.write(f"Adding {count:,} unmet searches in bulk (once; kept)")
        started = time.perf_counter()
        rng = self.rng
        places, weights = self.places(20_000)
        needs = list(Need.objects.values_list("slug", flat=True))
        kinds = list(ListingKind.values)
        bands = [label for _low, _high, label in AGE_BANDS] + [""]
        days = list(DAY_CODES.values())
        reasons = list(UnmatchedReason.values)
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            chosen = rng.choices(places, weights, k=size)
            rows = []
            for _postcode, outcode, _lat, _lon, council in chosen:
                brokerage = rng.random() < 0.08
                rows.append(
                    UnmetDemand(
                        searched_on=self.when(),
                        outcode=outcode,
                        local_authority_code=council,
                        rural=rng.random() < 0.22,
                        classified_by=BENCH,
                        mode=rng.choice(("both", "go", "come")),
                        kinds=",".join(rng.sample(kinds, rng.choice((0, 1, 1, 2)))),
                        needs=",".join(rng.sample(needs, rng.choice((0, 1, 1, 2, 3)))),
                        age_band=rng.choice(bands),
                        days=",".join(
                            sorted(rng.sample(days, rng.choice((0, 0, 1, 2))), key=days.index)
                        ),
                        results=rng.choice((0, 0, 1, 2)),
                        radius_miles=rng.choice((5.0, 10.0, 20.0, None)),
                        source="brokerage" if brokerage else "search",
                        reasons=",".join(rng.sample(reasons, rng.randint(1, 2)))
                        if brokerage
                        else "",
                    )
                )
            UnmetDemand.objects.bulk_create(rows, batch_size=BATCH)
            made += size
            if made % 100_000 == 0 or made == count:
                self.stdout.write(f"  {made:,}/{count:,}")
        self.stdout.write(f"  took {time.perf_counter() - started:.0f} s")

    def families(self) -> list[int]:
        User = get_user_model()
        have = set(
            User.objects.filter(username__startswith=FAMILY_PREFIX).values_list(
                "username", flat=True
            )
        )
        missing = [
            User(username=f"{FAMILY_PREFIX}{i}", email=f"{FAMILY_PREFIX}{i}@example.org")
            for i in range(FAMILIES)
            if f"{FAMILY_PREFIX}{i}" not in have
        ]
        for user in missing:
            user.set_unusable_password()
        User.objects.bulk_create(missing, batch_size=BATCH)
        return list(
            User.objects.filter(username__startswith=FAMILY_PREFIX).values_list("pk", flat=True)
        )

    def fill_requests(self, count: int):
        families = self.families()
        mine = SupportRequest.objects.filter(family__in=families)
        have = mine.count()
        if have and not Offer.objects.filter(request__in=mine.values("pk")).exists():
            # `bench_search --reset` deleted the listings, and with them the offers.
            self.stdout.write("The requests' offers went with the listings: writing them again")
            self.reset_requests()
            have = 0
        if have >= count:
            return
        count -= have
        self.stdout.write(f"Adding {count:,} brokerage requests in bulk (once; kept)")
        started = time.perf_counter()
        rng = self.rng
        places, weights = self.places(5_000)
        funding = list(FundingRoute.objects.values_list("pk", flat=True)) or [None]
        needs = list(Need.objects.values_list("pk", flat=True))
        offered = list(
            ListingPage.objects.in_directory()
            .order_by("?")
            .values_list("pk", "organisation_id")[:5000]
        )
        if not offered:
            raise CommandError("No listings in the directory to send offers to")
        statuses, shares = list(STATUS_SHARE), list(STATUS_SHARE.values())
        kinds = list(SupportKind.values)
        now = timezone.now()
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            requests = []
            for postcode, _outcode, lat, lon, council in rng.choices(places, weights, k=size):
                sent = timezone.make_aware(
                    datetime.datetime.combine(self.when(), datetime.time(9))
                ) + datetime.timedelta(minutes=rng.randint(0, 600))
                status = rng.choices(statuses, shares)[0]
                if sent > now - datetime.timedelta(days=45) and status in CLOSED:
                    status = rng.choice((Status.SUBMITTED, Status.OFFERS_SENT, Status.CHOOSING))
                closed = None
                if status in CLOSED:
                    closed = sent + datetime.timedelta(days=rng.randint(3, 40), hours=1)
                requests.append(
                    SupportRequest(
                        family_id=rng.choice(families),
                        status=status,
                        requester="parent_carer",
                        age=rng.randint(0, 25),
                        support_kinds=rng.sample(kinds, rng.randint(1, 2)),
                        postcode_sector=postcode[:-2].strip(),
                        latitude=lat,
                        longitude=lon,
                        local_authority_code=council,
                        rural=rng.random() < 0.22,
                        funding_id=rng.choice(funding),
                        consent_to_share=True,
                        consent_at=sent,
                        submitted_at=sent,
                        closed_at=closed,
                    )
                )
            with transaction.atomic():
                SupportRequest.objects.bulk_create(requests, batch_size=BATCH)
                self.request_rows(requests, needs, offered)
            made += size
            self.stdout.write(f"  {made:,}/{count:,}")
        self.stdout.write(f"  took {time.perf_counter() - started:.0f} s")

    def request_rows(self, requests, needs, offered):
        """A batch of requests' needs, offers, agreement events, agreements, reviews and
        outcomes, as the brokerage services would have left them."""
        rng = self.rng
        through = SupportRequest.needs.through
        links, offers, events, closes = [], [], [], []
        chosen_offers = {}
        for request in requests:
            links += [
                through(supportrequest_id=request.pk, need_id=need)
                for need in rng.sample(needs, rng.randint(1, 3))
            ]
            sent = request.submitted_at
            if request.status in (Status.SUBMITTED, Status.ASSIGNED):
                offer_statuses = []
            elif request.status == Status.MATCHED:
                offer_statuses = [OfferStatus.DECLINED] * rng.randint(0, 2) + [OfferStatus.CHOSEN]
            elif request.status == Status.UNMATCHED:
                offer_statuses = [OfferStatus.DECLINED] * rng.randint(1, 4)
            elif request.status == Status.WITHDRAWN:
                offer_statuses = [rng.choice((OfferStatus.WITHDRAWN, OfferStatus.EXPIRED))]
            elif request.status == Status.OFFERS_SENT:
                offer_statuses = [OfferStatus.SENT, OfferStatus.DECLINED][: rng.randint(1, 2)]
            else:  # choosing, agreeing
                offer_statuses = [OfferStatus.ACCEPTED, OfferStatus.DECLINED][: rng.randint(1, 2)]
            at, end = sent, request.closed_at or sent + datetime.timedelta(days=8)
            for status, (listing, organisation) in zip(
                offer_statuses, rng.sample(offered, len(offer_statuses)), strict=True
            ):
                at = at + (end - at) * rng.uniform(0.1, 0.4)
                answered = status not in (OfferStatus.SENT, OfferStatus.EXPIRED)
                offer = Offer(
                    request_id=request.pk,
                    listing_id=listing,
                    organisation_id=organisation,
                    status=status,
                    summary={"age_band": age_band(request.age)},
                    sent_at=at,
                    expires_at=at + datetime.timedelta(days=5),
                    answered_at=at + datetime.timedelta(days=1) if answered else None,
                    decline_reason=(
                        rng.choice(DeclineReason.values) if status == OfferStatus.DECLINED else ""
                    ),
                )
                offers.append(offer)
                if status == OfferStatus.CHOSEN:
                    chosen_offers[request.pk] = offer
            if request.status in CLOSED:
                closed_at = request.closed_at
                closes.append((request, closed_at))
                events.append(
                    RequestEvent(
                        request_id=request.pk,
                        at=closed_at,
                        role=Role.FAMILY if request.status == Status.WITHDRAWN else Role.SYSTEM,
                        from_status=Status.AGREEING
                        if request.status == Status.MATCHED
                        else Status.ASSIGNED,
                        to_status=request.status,
                    )
                )
        through.objects.bulk_create(links, batch_size=BATCH)
        Offer.objects.bulk_create(offers, batch_size=BATCH)
        RequestEvent.objects.bulk_create(events, batch_size=BATCH)
        agreements, outcomes = [], []
        offer_counts = {}
        for offer in offers:
            sent_n, accepted_n = offer_counts.get(offer.request_id, (0, 0))
            accepted = offer.answered_at is not None and offer.status != OfferStatus.DECLINED
            offer_counts[offer.request_id] = (sent_n + 1, accepted_n + accepted)
        for request, closed_at in closes:
            closed_on = timezone.localdate(closed_at)
            submitted_on = timezone.localdate(request.submitted_at)
            if request.status == Status.MATCHED:
                offer = chosen_offers[request.pk]
                agreements.append(
                    Agreement(
                        request_id=request.pk,
                        offer_id=offer.pk,
                        hours_per_week=rng.choice((3, 4, 6, 8, 10)),
                        rate=rng.choice((14, 15, 17, 19)),
                        funding_id=request.funding_id or FundingRoute.objects.first().pk,
                        start_date=closed_on,
                        review_date=closed_on + datetime.timedelta(days=90),
                        drafted_at=closed_at - datetime.timedelta(days=1),
                        family_confirmed_at=closed_at,
                        provider_confirmed_at=closed_at,
                    )
                )
            sent_n, accepted_n = offer_counts.get(request.pk, (0, 0))
            outcomes.append(
                RequestOutcome(
                    request_id=request.pk,
                    outcome=CLOSED[request.status],
                    reasons=(
                        ",".join(rng.sample(UnmatchedReason.values, rng.randint(1, 2)))
                        if request.status == Status.UNMATCHED
                        else ""
                    ),
                    closed_on=closed_on,
                    submitted_on=submitted_on,
                    days_to_close=(closed_on - submitted_on).days,
                    outcode=request.outcode,
                    local_authority_code=request.local_authority_code,
                    age_band=age_band(request.age),
                    support_kinds=",".join(request.support_kinds),
                    offers_sent=sent_n,
                    offers_accepted=accepted_n,
                )
            )
        Agreement.objects.bulk_create(agreements, batch_size=BATCH)
        RequestOutcome.objects.bulk_create(outcomes, batch_size=BATCH)
        reviews = []
        for agreement in agreements:
            if agreement.review_date <= today() and rng.random() < 0.8:
                reviews.append(
                    Review(
                        agreement_id=agreement.pk,
                        held_on=agreement.review_date,
                        feeling=rng.choices(ReviewFeeling.values, (6, 3, 1))[0],
                        family_words="Going as we hoped.",
                        next_review_date=add_months(agreement.review_date, 3),
                    )
                )
        Review.objects.bulk_create(reviews, batch_size=BATCH)

    # --- measuring ------------------------------------------------------------------------------

    def scenarios(self, client) -> dict[str, str]:
        busiest = (
            UnmetDemand.objects.order_by()
            .values("local_authority_code")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("local_authority_code", flat=True)
            .first()
        )
        council = LocalAuthority.objects.filter(code=busiest).first()
        need = Need.objects.order_by("pk").values_list("slug", flat=True).first()
        last = today().replace(day=1)
        first = add_months(last, -3)
        three = f"from_month={first:%Y-%m}&to_month={add_months(last, -1):%Y-%m}"
        pages = {
            "dashboard, unfiltered": DASHBOARD,
            f"dashboard, one council ({council.code if council else '-'})": (
                f"{DASHBOARD}?council={council.code if council else ''}"
            ),
            f"dashboard, need {need} + ages 5-10": f"{DASHBOARD}?need={need}&age_band=5-10",
            f"dashboard, 3 months ({first:%b %Y}-{add_months(last, -1):%b %Y})": (
                f"{DASHBOARD}?{three}"
            ),
        }
        response = client.get(DASHBOARD)
        if response.status_code != 200:
            raise CommandError(f"{DASHBOARD} returned {response.status_code}")
        names = list(dict.fromkeys(DOWNLOAD_RE.findall(response.content.decode())))
        if not names:
            raise CommandError("The dashboard links to no CSV downloads")
        downloads = {f"CSV {name}": f"{DASHBOARD}?download={name}" for name in names}
        return {**pages, **downloads}

    def measure(self, client, url: str, repeat: int) -> tuple[float, float, int]:
        for _ in range(self.warmup):  # warm caches and connections
            self.get(client, url)
        timings, queries = [], []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                self.get(client, url)
                timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured.captured_queries))
        p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
        return statistics.median(timings), p95, max(queries)

    @staticmethod
    def get(client, url: str):
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} returned {response.status_code}")
        if response.streaming:
            b"".join(response.streaming_content)
        return response
