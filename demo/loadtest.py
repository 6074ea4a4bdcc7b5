"""The load test's own data (`manage.py seed_loadtest`, run by `loadtest/run.sh`), on top of the
NE demo data: the directory grown to a size, people who sign in, and a brokerage queue.

- Listings: added in bulk (`directory.bulk.create_listings`) until the directory holds the
  number asked for, spread over the postcodes in the gazetteer. `make loadtest` loads England's
  (`LOADTEST_AREAS=all`), so 100,000 listings lie as a national directory's would, a few
  thousand of them in the NE where the families search. With the NE's postcodes alone
  (`LOADTEST_AREAS=NE`) every one lands there, 100,000 among about 34,000 postcodes: a density
  no council has, and the worst case for search (every radius holds more candidates to filter
  and rank).
- Provider accounts, `loadtest-provider-N`, each an editor of one demo organisation that has
  a listing shown to families, so each edits real, varied listings through the admin.
- Broker accounts, `loadtest-broker-N`, ready to work (code of conduct accepted, Northumberland
  and Newcastle granted by a council account that never signs in), each with an authenticator
  app whose key is derived from the password (`authenticator_key`): locust computes the same
  codes, and no key is ever written down.
- Requests from load-test families, waiting in those brokers' queue.

Every account gets the password given for this run; `loadtest/run.sh` makes a new random one
each time, so the accounts are of no use to anyone once the run is over. Idempotent: accounts
are keyed by username, listings and requests are topped up to the numbers asked for.
"""

import hashlib
import hmac
import random
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from brokerage import services as brokerage
from brokerage.choices import Requester, Status, SupportKind
from brokerage.models import BrokerProfile, SupportRequest
from core.messenger import muted
from core.roles import BROKERS, COUNCIL_MODERATORS, FAMILIES
from directory.bulk import create_listings
from directory.models import FundingRoute, ListingPage, Need, Organisation, Weekday
from gazetteer.models import LocalAuthority, Postcode
from home.two_factor.services import AUTHENTICATOR

from .brokerage import NEWCASTLE, NORTHUMBERLAND, place_values

PREFIX = "loadtest-"
PROVIDER = PREFIX + "provider-{}"
BROKER = PREFIX + "broker-{}"
FAMILY = PREFIX + "family-{}"
COUNCIL = PREFIX + "council"
FAMILIES_ASKING = 10  # the waiting requests come from this many families
BROKER_AREAS = (NORTHUMBERLAND, NEWCASTLE)


def authenticator_key(password: str, username: str) -> bytes:
    """The 20-byte key of a load-test broker's authenticator app. loadtest/locustfile.py
    derives the same key from the same password to compute the codes."""
    message = f"short breaks load test authenticator {username}".encode()
    return hmac.new(password.encode(), message, hashlib.sha1).digest()


# --- Listings -------------------------------------------------------------------------------


def listings_top_up(
    total: int, *, seed: int = 1, progress: Callable[[int, int], None] | None = None
) -> int:
    """Listings added so the directory holds `total` (none when it has as many already)."""
    have = ListingPage.objects.count()
    if have >= total:
        return 0
    made = create_listings(total - have, seed=seed + have, progress=progress)
    if connection.vendor == "postgresql":
        # As autovacuum soon would after a bulk load, so the planner knows the new size (VACUUM
        # cannot run inside a transaction, as in tests: ANALYZE alone there).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return made


# --- Accounts -------------------------------------------------------------------------------


def _user(username: str, *, first_name: str = "Load", last_name: str = "Test"):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username,
            f"{username}@example.org",
            None,  # unusable until `accounts` sets this run's password
            first_name=first_name,
            last_name=last_name,
        )
    return user


def provider_organisations() -> list[Organisation]:
    """The organisations load-test providers work for: demo organisations (not the bulk
    listings' bench providers) with a listing live in the directory, oldest first."""
    live = ListingPage.objects.filter(live=True).values("organisation_id")
    return list(
        Organisation.objects.filter(pk__in=live, editors__isnull=False)
        .exclude(name__startswith="Bench provider ")
        .order_by("pk")
    )


def council_account():
    user = _user(COUNCIL, first_name="Load test", last_name="Council")
    user.groups.add(Group.objects.get(name=COUNCIL_MODERATORS))
    return user


def provider_accounts(count: int) -> list:
    organisations = provider_organisations()
    if count and not organisations:
        raise ValueError("No organisation has a live listing: run manage.py seed_demo first")
    users = []
    for number in range(1, count + 1):
        user = _user(PROVIDER.format(number), first_name="Provider", last_name=str(number))
        if not Organisation.objects.filter(editors__user=user).exists():
            organisation = organisations[(number - 1) % len(organisations)]
            user.groups.add(organisation.editors)
        users.append(user)
    return users


def broker_accounts(count: int, *, password: str) -> list:
    brokers = Group.objects.get(name=BROKERS)
    areas = list(LocalAuthority.objects.filter(code__in=BROKER_AREAS))
    council = council_account() if count else None
    users = []
    for number in range(1, count + 1):
        user = _user(BROKER.format(number), first_name="Broker", last_name=str(number))
        user.groups.add(brokers)
        profile = BrokerProfile.objects.filter(user=user).first()
        if profile is None or not profile.accepted_code:
            brokerage.code_of_conduct_accept(user=user)
        brokerage.broker_areas_grant(user=council, broker=user, areas=areas)
        TOTPDevice.objects.update_or_create(
            user=user,
            name=AUTHENTICATOR,
            defaults={
                "key": authenticator_key(password, user.username).hex(),
                "confirmed": True,
                "drift": 0,
                "throttling_failure_count": 0,
                "throttling_failure_timestamp": None,
            },
        )
        users.append(user)
    return users


@transaction.atomic
def accounts(count: int, *, password: str) -> tuple[list, list]:
    """`count` provider and `count` broker accounts, all signing in with `password` (hashed
    once: this run's accounts share it)."""
    if count and not password:
        raise ValueError("Give this run's password (LOADTEST_PASSWORD)")
    providers = provider_accounts(count)
    brokers = broker_accounts(count, password=password)
    people = [user.pk for user in providers + brokers]
    get_user_model().objects.filter(pk__in=people).update(password=make_password(password))
    return providers, brokers


# --- The brokerage queue ----------------------------------------------------------------------


def waiting_requests(count: int, *, seed: int = 1) -> int:
    """Requests sent by load-test families, topped up to `count`, waiting in the brokers'
    queue (Northumberland and Newcastle). Made through the family's own steps, with no
    message sent to anyone."""
    families = [_user(FAMILY.format(n), first_name="Family") for n in range(1, FAMILIES_ASKING + 1)]
    group = Group.objects.get(name=FAMILIES)
    for family in families:
        family.groups.add(group)
    have = SupportRequest.objects.filter(
        family__in=families, status=Status.SUBMITTED, broker__isnull=True
    ).count()
    if have >= count:
        return 0
    rng = random.Random(seed + have)  # noqa: S311 (load-test data, not secrets)
    postcodes = list(
        Postcode.objects.filter(local_authority_code__in=BROKER_AREAS)
        .order_by("pk")
        .values_list("postcode", flat=True)[:5000]
    )
    if not postcodes:
        raise ValueError("No Northumberland or Newcastle postcodes: load_gazetteer --areas NE")
    needs = list(Need.objects.all())
    days = list(Weekday.objects.all())
    funding = list(FundingRoute.objects.all())
    made = 0
    with muted():
        for number in range(have, count):
            family = families[number % len(families)]
            brokerage.family_profile_start(user=family, who="parent")
            draft = brokerage.draft_create(user=family)
            values = {
                "requester": Requester.PARENT_CARER,
                "child_first_name": rng.choice(("Ellie", "Josh", "Amir", "Maya", "Sam")),
                "age": rng.randint(4, 17),
                "communication": "Uses a picture timetable.",
                "care_and_health": "Needs help with medication at lunchtime.",
                "behaviour_support": "A quiet space helps when it gets busy.",
                "school_holidays": True,
                "hours_per_week": Decimal(rng.choice((4, 6, 8, 10))),
                "travel_miles": rng.choice((5, 10, 15)),
                "hourly_budget": Decimal("18.00"),
                "contact_name": "Load test family",
                "contact_phone": "07700 900321",
                "consent_to_share": True,
                "support_kinds": rng.sample(list(SupportKind.values), rng.randint(1, 2)),
                "funding": rng.choice(funding) if funding else None,
                "funding_unknown": not funding,
                "needs": rng.sample(needs, min(len(needs), rng.randint(1, 3))),
                "days": rng.sample(days, min(len(days), rng.randint(1, 3))),
                **place_values(rng.choice(postcodes)),
            }
            draft = brokerage.draft_save(user=family, request=draft, values=values)
            brokerage.request_submit(user=family, request=draft)
            made += 1
    return made
