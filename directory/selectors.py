"""Reads: what the public may see, and the queries the directory pages run."""

import datetime

from .models import DirectoryIndexPage, ListingPage, ListingStatus


def public_listings(on: datetime.date | None = None):
    return ListingPage.objects.in_directory(on)


def directory_index():
    return DirectoryIndexPage.objects.live().first()


def kind_counts(on: datetime.date | None = None) -> dict[str, int]:
    return public_listings(on).kind_counts()


def listing_status(listing: ListingPage) -> ListingStatus:
    status, _ = ListingStatus.objects.get_or_create(listing_id=listing.pk)
    return status
