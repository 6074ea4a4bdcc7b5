"""The site app's admin pages: two-factor sign-in (home/two_factor/), and the account page's
link to the verified email change (the admin's own email field is off)."""

from django.urls import path, reverse
from wagtail import hooks

from .two_factor import views as two_factor


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-factor/", two_factor.ManageView.as_view(), name="two_factor_manage"),
        path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
        path("two-factor/set-up/", two_factor.set_up, name="two_factor_set_up"),
        path("two-factor/backup-codes/", two_factor.backup_codes, name="two_factor_backup_codes"),
        path("two-factor/remove/", two_factor.remove, name="two_factor_remove"),
        path("two-factor/reset/", two_factor.reset, name="two_factor_reset"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor_manage"),
        "label": "Two-factor sign-in",
        "help_text": "Your authenticator app and backup codes.",
    }


@hooks.register("register_account_menu_item")
def change_email_address(request):
    return {
        "url": reverse("account:email_change"),
        "label": "Change email address",
        "help_text": "We send a link to the new address; it changes when you use it.",
    }
