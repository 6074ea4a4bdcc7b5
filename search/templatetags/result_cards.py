"""`{% result_cards matches %}`: the results page's cards, written by `search.cards`."""

from django import template

from search.cards import result_cards as write_cards

register = template.Library()


@register.simple_tag(takes_context=True)
def result_cards(context, matches):
    return write_cards(matches, context["request"])
