"""Whether a listing is on the family's shortlist, so a page shows "Added" rather than the
button again. The shortlist is read once per request."""

from django import template

from search import shortlist

register = template.Library()


@register.simple_tag(takes_context=True)
def on_shortlist(context, listing_id) -> bool:
    request = context.get("request")
    if request is None:
        return False
    ids = getattr(request, "_shortlist_ids", None)
    if ids is None:
        ids = request._shortlist_ids = set(shortlist.ids_in(request))
    return listing_id in ids
