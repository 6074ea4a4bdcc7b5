from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from wagtail.admin import signal_handlers as wagtail_emails
from wagtail.models import WorkflowState
from wagtail.signals import page_published, workflow_approved, workflow_rejected

from core.audit import audit
from core.dates import today

from . import notifications
from .models import LISTING_MODELS, ListingPage, ListingStatus, Organisation

# Sent with `listing_ids` when bulk updates change listings' safeguarding status (queryset
# updates send no post_save), so that anything derived, like a search index, can follow.
listing_status_changed = Signal()


# Organisations whose DBS badges to recompute once, when many listings are being added (an
# import), rather than once a listing; None when listings are added one at a time.
_refresh_later: ContextVar[set | None] = ContextVar("refresh_later", default=None)


@contextmanager
def safeguarding_refresh_deferred():
    """Add many listings, then recompute each organisation's DBS badges once, at the end."""
    from .services import organisation_refresh_safeguarding

    pending: set[int] = set()
    token = _refresh_later.set(pending)
    try:
        yield
    finally:
        _refresh_later.reset(token)
        for organisation in Organisation.objects.filter(pk__in=pending):
            organisation_refresh_safeguarding(organisation=organisation)


def ensure_status(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    status, made = ListingStatus.objects.get_or_create(listing_id=instance.pk)
    if made and instance.organisation_id:
        pending = _refresh_later.get()
        if pending is not None:
            pending.add(instance.organisation_id)
            return
        from .services import organisation_refresh_safeguarding

        organisation_refresh_safeguarding(organisation=instance.organisation)


def published(sender, instance, revision=None, **kwargs):
    """A change approved by a moderator confirms the listing is accurate as of today."""
    ListingStatus.objects.update_or_create(
        listing_id=instance.pk, defaults={"assured_date": today()}
    )
    if revision is not None:
        capacity_caught_up(instance, revision)


def capacity_caught_up(listing, revision) -> None:
    """Say in the audit trail when the capacity published is lower than the version approved
    says, because agreements were made after it was written (ListingPage.with_content_json)."""
    written = revision.content.get("capacity_now")
    behind = revision.content.get("capacity_agreed_total") or 0
    if (
        written is None
        or listing.capacity_now is None
        or listing.capacity_now >= written
        or behind >= listing.capacity_agreed_total
    ):
        return
    audit(
        actor=None,
        action="listing_capacity_caught_up",
        obj=listing,
        summary=f"Published with capacity {listing.capacity_now}, not the {written} in the "
        "version approved: agreements made after it was written are taken off",
    )


for model in LISTING_MODELS.values():
    post_save.connect(ensure_status, sender=model, dispatch_uid=f"status-{model.__name__}")
    page_published.connect(published, sender=model, dispatch_uid=f"published-{model.__name__}")


# --- The council's decision on a listing: the product's own emails --------------------------


def moderation_outcome(ours, wagtails):
    """A receiver for Wagtail's workflow signal: a listing's provider hears from the product
    (its words, its outbox, `BASE_URL` links); any other page gets Wagtail's email."""

    def receiver(sender, instance, user=None, **kwargs):
        model = instance.content_type.model_class()
        if not (model and issubclass(model, ListingPage)):
            return wagtails(instance=instance, user=user, sender=sender, **kwargs)
        task_state = instance.current_task_state
        comment = task_state.specific.get_comment() if task_state else ""
        ours(instance.content_object.specific, comment=comment, actor=user)
        return True

    return receiver


# Registered under Wagtail's own ids, so they stand in for Wagtail's emails whichever app is
# ready first (a second receiver under the same id is not connected).
for signal, ours, wagtails, uid in [
    (
        workflow_approved,
        notifications.listing_approved,
        wagtail_emails.workflow_approval_email_notifier,
        "workflow_state_approved_email_notification",
    ),
    (
        workflow_rejected,
        notifications.listing_changes_asked,
        wagtail_emails.workflow_rejection_email_notifier,
        "workflow_state_rejected_email_notification",
    ),
]:
    signal.disconnect(sender=WorkflowState, dispatch_uid=uid)
    signal.connect(
        moderation_outcome(ours, wagtails), sender=WorkflowState, dispatch_uid=uid, weak=False
    )

__all__ = ["ListingPage", "receiver"]
