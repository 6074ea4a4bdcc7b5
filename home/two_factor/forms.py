from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=20,
        required=False,  # an empty code gets the service's own message
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
    )


class ResetForm(forms.Form):
    username = forms.CharField(label="Their username", max_length=150)
