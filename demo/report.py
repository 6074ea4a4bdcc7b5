"""What `seed_demo` prints: a summary of the demo data and the demo logins."""

from collections import Counter

from django.conf import settings

from core.dates import today
from directory.choices import Freshness, ListingKind
from directory.models import ListingPage, ListingStatus, ProviderPage

from .accounts import ACCOUNTS, DEMO_PASSWORD
from .writer import Seeder


def print_summary(out, style, seeder: Seeder, accounts_created: int, seconds: float) -> None:
    """What was made: organisations, listings by kind, what is hidden and why, DBS badges."""
    created = sum(len(ids) for model, ids in seeder.pages.items() if model is not ProviderPage)
    if not seeder.created_orgs:
        out.write("The demo data was already loaded: nothing new was created.")
    kinds = Counter(ListingPage.objects.values_list("kind", flat=True))
    on = today()
    freshness, dbs, hidden_dbs, in_directory = Counter(), Counter(), 0, 0
    for status in ListingStatus.objects.filter(listing__live=True):
        freshness[status.freshness(on)] += 1
        dbs[status.dbs_status] += 1
        hidden_dbs += status.dbs_hidden(on)
        in_directory += status.in_directory(on)
    label = dict(ListingKind.choices)
    write = out.write
    write(
        style.SUCCESS(
            f"Created {len(seeder.created_orgs):,} organisations ({seeder.skipped_orgs:,} "
            f"already there), {created:,} listings, {len(seeder.checks):,} DBS checks and "
            f"{accounts_created} accounts in {seconds:.1f}s."
        )
    )
    write(
        "Listings: "
        + ", ".join(f"{label[kind].lower()} {kinds.get(kind, 0):,}" for kind in label)
        + f" ({sum(kinds.values()):,} in all)."
    )
    write(
        f"In the directory: {in_directory:,}. Hidden: {hidden_dbs:,} with a DBS check lapsed "
        f"past the {settings.DBS_LAPSE_GRACE_DAYS}-day grace period, "
        f"{freshness[Freshness.EXPIRED]:,} not confirmed for "
        f"{settings.FRESHNESS_EXPIRED_WEEKS} weeks. Stale (ranked lower): "
        f"{freshness[Freshness.STALE]:,}."
    )
    write(
        "DBS badges: "
        + ", ".join(f"{status.replace('_', ' ')} {n:,}" for status, n in sorted(dbs.items()))
        + "."
    )


def print_logins(out) -> None:
    """Every demo login, and where each signs in."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    write = out.write
    write(f"\nDemo logins (every password is {DEMO_PASSWORD}):")
    write(f"  {'Role':<38} {'Username':<19} Signs in at")
    for account in ACCOUNTS:
        where = {
            "admin": f"{base}/admin/",
            "auditor": f"{base}/account/young-auditors/sign-in/",
        }.get(account.where, f"{base}/ (public site)")
        write(f"  {account.role:<38} {account.username:<19} {where}")
    write(
        "  Phone numbers are from Ofcom's drama ranges and emails use example.org and "
        "example.com: nothing reaches a real person."
    )
