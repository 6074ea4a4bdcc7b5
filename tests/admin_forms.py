"""Build the POST a person would send from a Wagtail editor form, from the form itself."""

from django import forms
from django.urls import reverse


def form_data(response, **changes) -> dict:
    """Everything the editor form in `response` would submit unchanged, with `changes`."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        elif value is not None:
            shown = field.widget.format_value(value)
            if isinstance(shown, list):  # a Select formats its one value as a list
                shown = shown[0] if shown else ""
            data[name] = "" if shown is None else str(shown)
    for prefix, formset in getattr(form, "formsets", {}).items():
        for key, value in formset.management_form.initial.items():
            data[f"{prefix}-{key}"] = value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def submit_change(client, page, **changes):
    """Open the page's editor as `client` and submit it for moderation with `changes`."""
    response = client.get(edit_url(page))
    assert response.status_code == 200
    return client.post(
        edit_url(page), form_data(response, **changes, **{"action-submit": "Submit"})
    )
