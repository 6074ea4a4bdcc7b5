from django import template

from ..models import Audit

register = template.Library()


@register.simple_tag
def kitemark_award(listing):
    """The listing's current award, for its badge (one query; only asked when
    `status.kitemarked` says there is one)."""
    return (
        Audit.objects.current_awards()
        .filter(listing_id=listing.pk)
        .only("pk", "awarded_on", "expires_on", "status")
        .order_by("-expires_on", "-pk")
        .first()
    )
