"""Throttling the public forms that anyone can send without signing in: making an account,
resetting a password, applying to be a provider and reporting a problem with a listing.

Sign-in has its own, django-axes (config/settings/base.py). For the rest no rate-limiting
library is installed, so this is a small one on Django's cache framework. The contract:

- Each form has a rule in `settings.THROTTLES`: how many tries one address (`per_address`)
  and one account (`per_account`: the email address typed, or the signed-in person) may make
  in a window of `minutes`.
- `hit(name, request=..., account=...)` counts one try against both and returns `None`, or,
  once either count is over its limit, returns a `Throttled` saying how many seconds are left
  in the window. Counting comes first, then the check. With a cache whose increment is
  atomic (Memcached, Redis) two tries at the same moment never both slip under the limit;
  the database cache's increment is a read then a write, so a few tries at the very same
  instant may: enough to stop a flood, which is the point.
- Windows are fixed (they start on a multiple of their length), so the wait is never longer
  than one window.
- Keys are hashed: the cache never holds an email address or an IP address in the clear.

The counts live in the `throttle` cache (`settings.THROTTLE_CACHE`), a database cache in
production so that every web worker shares them (core/migrations/0003_throttle_cache.py
creates its table). A cache that is down or cleared lets people through: throttling is a
brake on abuse, not a lock.
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

from .client_ip import client_ip


@dataclass(frozen=True)
class Throttled:
    """Too many tries: wait `retry_after` seconds."""

    retry_after: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    @property
    def message(self) -> str:
        minutes = self.minutes
        wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
        return (
            f"You have tried this too many times. Wait {wait}, then try again. "
            "If you need help now, contact the council's short breaks team."
        )


def _key(name: str, scope: str, value: str, window: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"throttle:{name}:{scope}:{window}:{digest}"


def _count(cache, key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=timeout)
        return 1


def hit(name: str, *, request, account: str = "") -> Throttled | None:
    """Count one try at the form `name` from this request's address and for `account`.

    Returns `Throttled` when this try is over the limit of the address or of the account in
    this window; otherwise None."""
    rule = settings.THROTTLES[name]
    length = int(rule["minutes"]) * 60
    now = time.time()
    window = int(now // length)
    retry_after = max(1, math.ceil((window + 1) * length - now))
    cache = caches[settings.THROTTLE_CACHE]

    counted = []
    address = client_ip(request)
    if address:
        counted.append((_key(name, "address", address, window), rule["per_address"]))
    account = (account or "").strip().lower()
    if account:
        counted.append((_key(name, "account", account, window), rule["per_account"]))

    over = [_count(cache, key, timeout=retry_after + 60) > limit for key, limit in counted]
    return Throttled(retry_after=retry_after) if any(over) else None


def account_of(request, typed_email: str = "") -> str:
    """Who a try counts against: the signed-in person, else the email address typed."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return typed_email


def too_many_tries(request, template: str, context: dict, throttled: Throttled):
    """The form again (`context["form"]`), its error summary saying how long to wait, as
    HTTP 429 with `Retry-After`. What was typed stays, except passwords."""
    context["form"].add_error(None, throttled.message)
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(throttled.retry_after)
    return response
