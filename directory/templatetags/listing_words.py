"""Listing fields in the plain words families read."""

from django import template

from ..choices import ELIGIBILITY_PLAIN

register = template.Library()


@register.filter
def eligibility_words(value: str) -> str:
    """Who can use a listing, e.g. "Anyone, no assessment needed"."""
    return ELIGIBILITY_PLAIN.get(value, "Ask the provider")
