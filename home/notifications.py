"""What the public accounts send: the only module of `home` that sends messages."""

from django.db import models
from django.urls import reverse

from core import messenger


class Message(models.TextChoices):
    ACCOUNT_CONFIRM_EMAIL = "account_confirm_email", "Finish making your account"
    ACCOUNT_EXISTS = "account_exists", "You already have an account"
    PASSWORD_RESET = "password_reset", "Choose a new password"


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
