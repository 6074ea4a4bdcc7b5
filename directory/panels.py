"""Panels for the listing editor."""

from wagtail.admin.panels import Panel
from wagtail.models import TaskState, WorkflowState

from . import permissions
from .badges import dbs_badge, freshness_badge
from .family_view import family_view
from .models import ListingStatus


def changes_asked_for(listing) -> str:
    """The moderator's comment when the council sent the listing's latest submission back for
    changes ("" when it was not sent back, or is being looked at again)."""
    latest = WorkflowState.objects.for_instance(listing).order_by("-created_at").first()
    if latest is None or latest.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return ""
    rejected = (
        TaskState.objects.filter(workflow_state=latest, status=TaskState.STATUS_REJECTED)
        .order_by("-finished_at")
        .first()
    )
    return (rejected.comment or "").strip() if rejected else ""


class ListingStatusPanel(Panel):
    """Shows the provider where the listing stands: last checked, DBS badge, whether families
    can see it, and a one-click "still accurate" button. The data is not part of the page, so
    it never enters a revision."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "directory/admin/panels/listing_status.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            listing = self.instance
            status = (
                ListingStatus.objects.filter(listing_id=listing.pk).first() if listing.pk else None
            )
            context.update(
                listing=listing,
                status=status,
                dbs=dbs_badge(status),
                freshness=freshness_badge(status),
                in_directory=bool(status and listing.live and status.in_directory()),
                families=family_view(listing, status) if listing.pk else None,
                changes_asked_for=changes_asked_for(listing) if listing.pk else "",
                can_confirm=bool(
                    listing.pk
                    and listing.live
                    and permissions.can_confirm_listing(self.request.user, listing)
                ),
            )
            return context
