"""Keeping the listing's kitemark badge and the search index in step with its audits."""

import datetime

from directory.models import ListingStatus
from directory.signals import listing_status_changed

from .models import Audit


def listing_kitemark_refresh(*, listing_id: int, on: datetime.date | None = None) -> bool:
    """Copy the listing's current award (if any) onto its ListingStatus and tell search.
    Returns whether anything changed."""
    award = (
        Audit.objects.filter(listing_id=listing_id)
        .current_awards(on)
        .order_by("-expires_on", "-pk")
        .first()
    )
    values = {
        "kitemark_awarded_on": award.awarded_on if award else None,
        "kitemark_expires_on": award.expires_on if award else None,
    }
    changed = ListingStatus.objects.filter(listing_id=listing_id).exclude(**values).update(**values)
    if changed:
        listing_status_changed.send(sender=ListingStatus, listing_ids=[listing_id])
    return bool(changed)
