"""Panels for the listing editor."""

from wagtail.admin.panels import Panel

from . import permissions
from .badges import dbs_badge, freshness_badge
from .models import ListingStatus


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
                can_confirm=bool(
                    listing.pk
                    and listing.live
                    and permissions.can_confirm_listing(self.request.user, listing)
                ),
            )
            return context
