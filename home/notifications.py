"""What the public accounts send: the only module of `home` that sends messages."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from core import messenger


class Message(models.TextChoices):
    ACCOUNT_CONFIRM_EMAIL = "account_confirm_email", "Finish making your account"
    ACCOUNT_EXISTS = "account_exists", "You already have an account"
    PASSWORD_RESET = "password_reset", "Choose a new password"
    EMAIL_CHANGE_CONFIRM = "email_change_confirm", "Confirm your new email address"
    EMAIL_CHANGE_IN_USE = "email_change_in_use", "This email address already has an account"
    EMAIL_CHANGED = "email_changed", "Your email address was changed"


def account_exists(user) -> None:
    """Says hello by name only to a confirmed account: an unconfirmed one's name was typed by
    whoever asked for it, and must not reach the address's owner."""
    messenger.send(
        Message.ACCOUNT_EXISTS,
        emails=[user.email],
        context={"person": user if user.is_active else None},
        url=reverse("account:sign_in"),
    )


def account_confirm_email(user) -> None:
    """Nothing typed on the form is in it: whoever asked may not own the address."""
    messenger.send(
        Message.ACCOUNT_CONFIRM_EMAIL,
        emails=[user.email],
        link=("home.accounts.confirm_link", [user]),
    )


def password_reset(user) -> None:
    messenger.send(
        Message.PASSWORD_RESET,
        users=[user],
        context={"person": user},
        link=("home.accounts.password_reset_link", [user]),
        inbox_url=reverse("account:reset"),
    )


def email_change_confirm(user, *, new_email: str, confirm_url: str) -> None:
    """To the new address only: the account's own address has not changed yet."""
    messenger.send(
        Message.EMAIL_CHANGE_CONFIRM,
        emails=[new_email],
        context={"first_name": user.first_name},
        url=confirm_url,
    )


def email_change_address_in_use(new_email: str) -> None:
    messenger.send(Message.EMAIL_CHANGE_IN_USE, emails=[new_email], url=reverse("account:reset"))


def email_changed(user, *, old_email: str) -> None:
    """The old address is told, so a change nobody asked for is noticed."""
    messenger.send(
        Message.EMAIL_CHANGED,
        emails=[old_email],
        context={"first_name": user.first_name, "council_email": settings.COUNCIL_EMAIL},
    )
