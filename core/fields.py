"""Form fields that choose database rows by id, refusing anything that is not an id before the
database sees it: Django's model choice fields pass "99999999999999999999" straight to the
query, and SQLite overflows (a server error instead of "Select a valid choice")."""

from django import forms

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
