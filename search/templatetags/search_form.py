"""The search form's long checkbox groups, rendered in Python.

The search page shows over a hundred checkboxes (needs, skills, ways of paying, days, languages,
access) with a count beside each, on every search. Through Django's widgets and a template loop
they took about a fifth of the page's time; written here they cost almost nothing. The markup
is GOV.UK Frontend's small checkboxes, the same as `includes/field.html` gives.
"""

from django import template
from django.forms import ModelMultipleChoiceField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def choices_of(field) -> list[tuple[str, str]]:
    """(value, label) for each choice, straight from the database for a model field."""
    if isinstance(field, ModelMultipleChoiceField):
        key = field.to_field_name or "pk"
        return [(str(value), name) for value, name in field.queryset.values_list(key, "name")]
    return [(str(value), str(label)) for value, label in field.choices]


@register.simple_tag
def checkbox_group(bound_field):
    """A fieldset of small checkboxes for a multiple-choice field; when the search has counted
    its results (`search.filters.show_facet_counts`), each label says how many have it."""
    form, name = bound_field.form, bound_field.name
    counts = getattr(form, "facet_counts", {}).get(name)
    auto_id = bound_field.auto_id
    chosen = {str(v) for v in (bound_field.value() or [])}
    errors = bound_field.errors
    described = " ".join(
        part
        for part, present in (
            (f"{auto_id}-hint", bound_field.help_text),
            (f"{auto_id}-error", errors),
        )
        if present
    )
    items = format_html_join(
        "\n",
        '<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="{}_{}" '
        'name="{}" type="checkbox" value="{}"{}><label class="govuk-label '
        'govuk-checkboxes__label" for="{}_{}">{}</label></div>',
        (
            (
                auto_id,
                number,
                bound_field.html_name,
                value,
                mark_safe(" checked") if value in chosen else "",  # noqa: S308 (a constant)
                auto_id,
                number,
                label if counts is None else f"{label} ({counts.get(value, 0)})",
            )
            for number, (value, label) in enumerate(choices_of(bound_field.field))
        ),
    )
    hint = (
        format_html('<div id="{}-hint" class="govuk-hint">{}</div>', auto_id, bound_field.help_text)
        if bound_field.help_text
        else ""
    )
    error_html = format_html_join(
        "",
        '<p id="{}-error" class="govuk-error-message"><span class="govuk-visually-hidden">'
        "Error:</span> {}</p>",
        ((auto_id, error) for error in errors),
    )
    return format_html(
        '<div class="govuk-form-group{}"><fieldset class="govuk-fieldset"{}>'
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>{}{}'
        '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
        "{}</div></fieldset></div>",
        " govuk-form-group--error" if errors else "",
        format_html(' aria-describedby="{}"', described) if described else "",
        bound_field.label,
        hint,
        error_html,
        items,
    )
