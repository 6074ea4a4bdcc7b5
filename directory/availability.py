"""What a provider may change at once, without a moderator, because it only says whether
families can book (docs/workflows/freshness.md, "Closing, pausing and space now"):

- close a service (it leaves the directory until reopened), pause it until a day (still shown,
  "Not taking bookings until ..."), and reopen it;
- say how much space they have now ("space now"), dated today.

Every other change to a listing goes to a council moderator. Each change here is written in
the audit trail. Keyword-only, atomic, permission-checked, like `directory.services`.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.models import Revision

from core.audit import audit
from core.dates import today

from . import permissions
from .models import ListingPage, ListingStatus
from .signals import listing_status_changed

LONGEST_PAUSE_DAYS = 366


def _status_for_change(*, user, listing: ListingPage) -> ListingStatus:
    if not permissions.can_confirm_listing(user, listing):
        raise PermissionDenied("You cannot change this listing")
    if not listing.live:
        raise ValidationError("A listing can be closed or paused once the council has approved it")
    status, _ = ListingStatus.objects.select_for_update().get_or_create(listing_id=listing.pk)
    return status


def listing_close(*, user, listing: ListingPage) -> ListingStatus:
    """The service has stopped: families can no longer find it, until it is reopened."""
    with transaction.atomic():
        status = _status_for_change(user=user, listing=listing)
        if status.closed_on:
            raise ValidationError("This service is already closed")
        status.closed_on, status.paused_until = today(), None
        status.save(update_fields=["closed_on", "paused_until"])
        audit(actor=user, action="listing_closed", obj=listing, summary="Service closed")
    return status


def listing_pause(*, user, listing: ListingPage, until: datetime.date) -> ListingStatus:
    """No bookings until `until` (a day after today, within a year): still shown, saying so."""
    on = today()
    if until is None:
        raise ValidationError({"until": "Enter the date you will take bookings again"})
    if until <= on:
        raise ValidationError({"until": "The date you take bookings again must be in the future"})
    if until > on + datetime.timedelta(days=LONGEST_PAUSE_DAYS):
        raise ValidationError(
            {"until": "Pause for a year at most. If the service has stopped, close it instead"}
        )
    with transaction.atomic():
        status = _status_for_change(user=user, listing=listing)
        status.closed_on, status.paused_until = None, until
        status.save(update_fields=["closed_on", "paused_until"])
        audit(
            actor=user,
            action="listing_paused",
            obj=listing,
            summary=f"Service paused: not taking bookings until {until:%d %B %Y}",
        )
    return status


def listing_reopen(*, user, listing: ListingPage) -> ListingStatus:
    """Closed or paused no more: families can find and book it again."""
    with transaction.atomic():
        status = _status_for_change(user=user, listing=listing)
        if not (status.closed_on or status.paused()):
            raise ValidationError("This service is not closed or paused")
        status.closed_on, status.paused_until = None, None
        status.save(update_fields=["closed_on", "paused_until"])
        audit(actor=user, action="listing_reopened", obj=listing, summary="Service reopened")
    return status


def listing_space_update(*, user, listing: ListingPage, capacity_now: int) -> ListingPage:
    """The provider says how much space they have now, dated today, without moderation.

    Written on the live listing and on its stored versions (the live one and a draft waiting
    for a moderator), so approving a draft written earlier never brings an old figure back."""
    if not permissions.can_confirm_listing(user, listing):
        raise PermissionDenied("You cannot change this listing")
    if capacity_now is None or capacity_now < 0:
        raise ValidationError({"capacity_now": "Enter the space you have now: 0 or more"})
    if not listing.live:
        raise ValidationError("Space now can be updated once the council has approved the listing")
    with transaction.atomic():
        page = ListingPage.objects.select_for_update().get(pk=listing.pk)
        before = page.capacity_now
        stated_on = today()
        ListingPage.objects.filter(pk=page.pk).update(
            capacity_now=capacity_now, capacity_stated_on=stated_on
        )
        revision_ids = {page.live_revision_id, page.latest_revision_id} - {None}
        for revision in Revision.objects.select_for_update().filter(pk__in=revision_ids):
            revision.content["capacity_now"] = capacity_now
            revision.content["capacity_stated_on"] = stated_on.isoformat()
            revision.save(update_fields=["content"])
        audit(
            actor=user,
            action="listing_space_updated",
            obj=page,
            summary=f"Space now changed from {'not stated' if before is None else before} "
            f"to {capacity_now}",
        )
        page.refresh_from_db()
    # A queryset update sends no signal of its own: tell search, so "has space now" follows.
    listing_status_changed.send(sender=ListingPage, listing_ids=[page.pk])
    return page
