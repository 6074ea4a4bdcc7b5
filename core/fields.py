"""Fields with the product's rules built in.

Form fields that choose database rows by id refuse anything that is not an id before the
database sees it: Django's model choice fields pass "99999999999999999999" straight to the
query, and SQLite overflows (a server error instead of "Select a valid choice").

A web address typed without its scheme ("www.example.org") is taken as https, as browsers now
do, rather than Django's old default of http (which Django 6 drops)."""

from django import forms
from django.db import models

from .parsing import parse_id


def _refuse(field, value):
    raise forms.ValidationError(
        field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
    )


class IdChoiceField(forms.ModelChoiceField):
    """One row, by id."""

    def to_python(self, value):
        if value not in self.empty_values and not isinstance(value, self.queryset.model):
            if self.to_field_name is None and parse_id(str(value)) is None:
                _refuse(self, value)
        return super().to_python(value)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Several rows, by id."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for item in value:
                if parse_id(str(item)) is None:
                    _refuse(self, item)
        return super()._check_values(value)


class WebAddressField(models.URLField):
    """A web address; typed without a scheme, it is taken as https."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
