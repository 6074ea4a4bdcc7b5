"""Telling providers, once, when something they must put right has happened: a listing now
shown as out of date (13 weeks unconfirmed) or hidden (26 weeks), and public liability
insurance that has run out. Run daily by `send_reminders` (`services.reminders_send`), and
idempotent: each step is recorded in `SentReminder` (`core.reminders.send_once`) before it is
sent, so running it twice, or two runs at once, sends nothing twice."""

import datetime

from django.conf import settings

from core.reminders import send_once

from . import notifications, rules
from .choices import Freshness
from .models import ListingPage, Organisation
from .notifications import Message

STEPS = {Freshness.STALE: Message.LISTING_STALE, Freshness.EXPIRED: Message.LISTING_HIDDEN}


def freshness_steps_send(*, on: datetime.date) -> dict[str, int]:
    """A listing that has just become stale, or just left the directory, tells its provider.

    A listing that skipped a step (the command did not run) hears only of the step it is at.
    A closed service is out of the directory by its provider's choice: it hears nothing."""
    cutoffs = rules.Cutoffs.on(on)
    counts = {Message.LISTING_STALE.value: 0, Message.LISTING_HIDDEN.value: 0}
    due = (
        ListingPage.objects.live()
        .filter(status__closed_on=None, status__assured_date__lte=cutoffs.stale_on_or_before)
        .select_related("status", "organisation__editors")
    )
    for listing in due:
        assured = listing.status.assured_date
        step = rules.freshness(assured, cutoffs)
        if step not in STEPS:
            continue
        key = f"{listing.pk}:{assured}"
        kind = STEPS[step]
        if not send_once(kind.value, key):
            continue
        if kind == Message.LISTING_HIDDEN:
            send_once(Message.LISTING_STALE.value, key)  # past that step: never sent late
        hidden_on = assured + datetime.timedelta(weeks=settings.FRESHNESS_EXPIRED_WEEKS)
        notifications.freshness_step(kind, listing, hidden_on=hidden_on)
        counts[kind.value] += 1
    return counts


def lapsed_insurance(on: datetime.date):
    """Organisations whose public liability insurance ran out before `on`."""
    return Organisation.objects.filter(insurance_expiry__lt=on)


def insurance_reminders_send(*, on: datetime.date) -> int:
    """Each organisation hears once that its insurance has run out (again when a renewed
    policy runs out in turn)."""
    sent = 0
    for organisation in lapsed_insurance(on).select_related("editors"):
        if not (organisation.editors_id or organisation.email):
            continue
        key = f"{organisation.pk}:{organisation.insurance_expiry}"
        if not send_once(Message.INSURANCE_LAPSED.value, key):
            continue
        notifications.insurance_lapsed(organisation)
        sent += 1
    return sent
