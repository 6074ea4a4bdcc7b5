"""How a moderator sees a listing's change (Wagtail's revision comparison): times, prices and
lists in words, each old value apart from its new one, and rich text compared by what it
says and how it is marked up, not by the editor's internal block keys, which change on every
save (so a description nobody touched is not shown as changed)."""

import re

from django.db import models
from django.utils.html import escape
from django.utils.safestring import mark_safe
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin import compare
from wagtail.fields import RichTextField

NOT_GIVEN = "Not given"


class ReadableComparison(compare.FieldComparison):
    """The old value and the new one, each whole, in words."""

    def display(self, value) -> str:
        return NOT_GIVEN if value in (None, "") else str(value)

    def htmldiff(self):
        old, new = self.display(self.val_a), self.display(self.val_b)
        if not self.has_changed():
            return escape(old)
        return compare.TextDiff([("deletion", old), ("addition", new)], separator=" ").to_html()


def time_in_words(value) -> str:
    """A time as GOV.UK writes it: "10am", "3:30pm", "midday", "midnight"."""
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


class TimeComparison(ReadableComparison):
    def display(self, value) -> str:
        return NOT_GIVEN if value is None else time_in_words(value)


class DecimalComparison(ReadableComparison):
    """A price (a field labelled in pounds) as "£12.50"; any other number as it reads."""

    def display(self, value) -> str:
        if value is None:
            return NOT_GIVEN
        if "£" in str(self.field.verbose_name):
            return f"£{value:,.2f}"
        return f"{value.normalize():f}"


class ListComparison(compare.M2MFieldComparison):
    """A list in its usual order (a revision keeps the order it was ticked in), so the same
    items in another order are not a change."""

    def get_items(self):
        def in_usual_order(item):
            fields = [name.lstrip("-") for name in item._meta.ordering] or ["pk"]
            return tuple(getattr(item, name) for name in fields)

        def ordered(items):
            return sorted(items, key=in_usual_order)

        return ordered(self.val_a), ordered(self.val_b)

    def htmldiff(self):
        old, new = self.get_items()
        if not old and not new:
            return escape("None chosen")
        return super().htmldiff()


BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')
BETWEEN_TAGS = re.compile(r">\s+<")


def normalised(html) -> str:
    return BETWEEN_TAGS.sub("><", BLOCK_KEY.sub("", html or "")).strip()


class RichTextComparison(compare.RichTextFieldComparison):
    def has_changed(self):
        return normalised(self.val_a) != normalised(self.val_b)

    def htmldiff(self):
        if not self.has_changed():
            return mark_safe(escape(compare.text_from_html(self.val_a)))  # noqa: S308
        return super().htmldiff()


def register() -> None:
    compare.register_comparison_class(models.TimeField, comparison_class=TimeComparison)
    compare.register_comparison_class(models.DecimalField, comparison_class=DecimalComparison)
    compare.register_comparison_class(RichTextField, comparison_class=RichTextComparison)
    compare.register_comparison_class(ParentalManyToManyField, comparison_class=ListComparison)
