"""The admin's account page links to the verified email change (its own email field is off)."""

from django.urls import reverse
from wagtail import hooks


@hooks.register("register_account_menu_item")
def change_email_address(request):
    return {
        "url": reverse("account:email_change"),
        "label": "Change email address",
        "help_text": "We send a link to the new address; it changes when you use it.",
    }
