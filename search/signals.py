"""When the engine backend is on, every change that can alter what a family finds updates
the index: publishing, unpublishing, moving or deleting a listing, and its safeguarding or
freshness status changing. Dates passing need nothing: visibility is checked at query time."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from directory.models import LISTING_MODELS, ListingPage, ListingStatus
from directory.signals import listing_status_changed

from .backends import backend_class
from .tasks import reindex_listing


def engine_on() -> bool:
    """Whether the backend in settings searches an index of its own that must be kept up."""
    return backend_class().keeps_index


def queue(listing_id: int) -> None:
    transaction.on_commit(lambda: reindex_listing.enqueue(listing_id=listing_id))


def listing_changed(sender, instance, **kwargs):
    if engine_on():
        queue(instance.pk)


def page_moved(sender, instance, **kwargs):
    """A moved listing, or every listing below a moved provider page."""
    if engine_on():
        moved = ListingPage.objects.filter(path__startswith=instance.path)
        for listing_id in moved.values_list("pk", flat=True):
            queue(listing_id)


def status_changed(sender, instance, raw=False, **kwargs):
    if engine_on() and not raw:
        queue(instance.listing_id)


def statuses_changed(sender, listing_ids, **kwargs):
    if engine_on():
        for listing_id in listing_ids:
            queue(listing_id)


def connect():
    for model in LISTING_MODELS.values():
        uid = model.__name__
        page_published.connect(listing_changed, sender=model, dispatch_uid=f"index-pub-{uid}")
        page_unpublished.connect(listing_changed, sender=model, dispatch_uid=f"index-unp-{uid}")
        post_delete.connect(listing_changed, sender=model, dispatch_uid=f"index-del-{uid}")
    post_page_move.connect(page_moved, dispatch_uid="index-move")
    post_save.connect(status_changed, sender=ListingStatus, dispatch_uid="index-status")
    listing_status_changed.connect(statuses_changed, dispatch_uid="index-statuses")
