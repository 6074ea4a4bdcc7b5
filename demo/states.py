"""The listing states a provider and council staff should see in the demo, written through
the directory's services with nobody told:

- a paused service ("Not taking bookings until ...") and a closed one, both the demo
  provider's where it has listings to spare (so `demo-provider` sees them on the dashboard);
- the freshness steps and lapsed insurance recorded as already emailed, as the daily
  reminders would have done: a hidden listing's email is on record, and `make reminders`
  after `make run` sends nothing twice.

Stale, hidden and DBS-lapsed listings, queried DBS checks and lapsed insurance come from the
plan itself (`demo/data/mix.json`, `demo/writer.py`)."""

import datetime

from core.dates import today
from core.messenger import muted
from directory import availability, reminders
from directory.models import ListingPage
from directory.permissions import organisations_of

PAUSE_DAYS = 21


def spare_listings(provider, needed: int) -> list[ListingPage]:
    """Listings in the directory to pause and close: the demo provider's own, leaving its
    first (the brokerage demo offers it), then other providers' if it has too few."""
    in_directory = ListingPage.objects.in_directory().order_by("-pk")
    own = list(in_directory.filter(organisation__in=organisations_of(provider))[:needed])
    first = in_directory.filter(organisation__in=organisations_of(provider)).last()
    own = [listing for listing in own if listing != first]
    others = in_directory.exclude(organisation__in=organisations_of(provider))
    return (own + list(others[: needed - len(own)]))[:needed]


def seed_listing_states(*, users: dict) -> dict[str, int]:
    provider, commissioner = users.get("demo-provider"), users.get("demo-commissioner")
    made = {"paused": 0, "closed": 0}
    with muted():
        if provider is not None and commissioner is not None:
            for listing, state in zip(spare_listings(provider, 2), made, strict=False):
                # The provider's own listings by the provider; others' by council staff.
                actor = (
                    provider
                    if organisations_of(provider).filter(pk=listing.organisation_id).exists()
                    else commissioner
                )
                if state == "paused":
                    until = today() + datetime.timedelta(days=PAUSE_DAYS)
                    availability.listing_pause(user=actor, listing=listing, until=until)
                else:
                    availability.listing_close(user=actor, listing=listing)
                made[state] += 1
        steps = reminders.freshness_steps_send(on=today())
        made.update(steps)
        made["insurance_lapsed"] = reminders.insurance_reminders_send(on=today())
    return made
