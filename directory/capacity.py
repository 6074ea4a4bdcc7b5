"""Changes to a listing's capacity ("space now") that do not go through moderation: places or
hours taken by support agreed for a family."""

from decimal import Decimal

from django.db.models import F

from core.audit import audit

from .choices import CapacityUnit
from .models import ListingPage
from .signals import listing_status_changed


def listing_capacity_take(
    *, listing_id: int, hours_per_week: Decimal, reference: str, actor=None
) -> int:
    """Places drop by one; hours by the hours agreed. Never below zero. Returns how much
    `capacity_now` went down. Call inside the transaction that agrees the support.

    The amount agreed is also added to the listing's `capacity_agreed_total`, which its page
    revisions carry: a provider's draft written before this agreement (waiting for
    moderation, say), or an older version brought back, has it taken off when it is edited
    or published (`ListingPage.with_content_json`), so publishing never gives it back."""
    listing = ListingPage.objects.select_for_update().get(pk=listing_id)
    agreed = 1
    if listing.capacity_unit == CapacityUnit.HOURS:
        agreed = int(hours_per_week.to_integral_value())
    taken = 0 if listing.capacity_now is None else min(agreed, listing.capacity_now)
    ListingPage.objects.filter(pk=listing.pk).update(
        capacity_now=F("capacity_now") - taken,
        capacity_agreed_total=F("capacity_agreed_total") + agreed,
    )
    if listing.capacity_unit == CapacityUnit.HOURS:
        unit = "hours a week"
    else:
        unit = "place" if agreed == 1 else "places"
    before = "not stated" if listing.capacity_now is None else listing.capacity_now
    after = "not stated" if listing.capacity_now is None else listing.capacity_now - taken
    audit(
        actor=actor,
        action="brokerage_capacity_taken",
        obj=listing,
        summary=f"{agreed} {unit} agreed for request {reference}: capacity {before} to "
        f"{after}; drafts written before it will be lowered when published",
    )
    # A queryset update sends no signals: tell search, so "has space now" follows at once.
    listing_status_changed.send(sender=ListingPage, listing_ids=[listing.pk])
    return taken
