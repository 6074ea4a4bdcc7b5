"""The demo accounts: one login for every role, all with the same published password."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core import roles

DEMO_PASSWORD = "demo-short-breaks-2026"


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    first_name: str
    last_name: str
    group: str = ""  # a role group; provider and PA accounts join their organisation's group
    where: str = "admin"  # "admin" (Wagtail admin), "site" (the public site) or "auditor"


ACCOUNTS = [
    Account("demo-family", "Family (parent carer)", "Claire", "Armstrong", roles.FAMILIES, "site"),
    Account("demo-provider", "Provider (organisation staff)", "David", "Charlton"),
    Account("demo-pa", "Personal assistant (self-employed)", "", ""),  # named after their PA
    # Young auditors sign in with a short username on their own page (the coordinator chooses it).
    Account("jamie", "Young auditor", "Jamie", "Ridley", roles.YOUNG_AUDITORS, where="auditor"),
    Account(
        "demo-coordinator", "Kitemark coordinator", "Priya", "Shah", roles.KITEMARK_COORDINATORS
    ),
    Account("demo-broker", "Broker", "Mark", "Dodd", roles.BROKERS),
    Account(
        "demo-commissioner",
        "Commissioner (council officer)",
        "Helen",
        "Fenwick",
        roles.COUNCIL_MODERATORS,
    ),
    Account("demo-admin", "Administrator (superuser)", "Sam", "Errington"),
]


# --- Geography: real towns, the postcode districts and sectors that cover them --------------------


def ensure_accounts(pa_name: str = "") -> tuple[dict, int]:
    """One account per role, keyed by username; the password is set only when created."""
    User = get_user_model()
    users, created = {}, 0
    for account in ACCOUNTS:
        first, last = account.first_name, account.last_name
        if account.username == "demo-pa" and pa_name:
            first, _, last = pa_name.partition(" ")
        user = User.objects.filter(username=account.username).first()
        if user is None:
            make = User.objects.create_user
            if account.username == "demo-admin":
                make = User.objects.create_superuser
            user = make(
                account.username,
                f"{account.username}@example.org",
                DEMO_PASSWORD,
                first_name=first,
                last_name=last,
            )
            created += 1
        if account.group:
            user.groups.add(Group.objects.get(name=account.group))
        users[account.username] = user
    return users, created
