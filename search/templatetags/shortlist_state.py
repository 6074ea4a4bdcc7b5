"""Whether a listing is on the family's shortlist, so a page shows "Added" rather than the
button again. The shortlist is read once per request."""

from django import template

from search import shortlist

register = template.Library()


@register.simple_tag(takes_context=True)
def on_shortlist(context, listing_id) -> bool:
    request = context.get("request")
    return request is not None and shortlist.on_it(request, listing_id)
