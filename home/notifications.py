"""What the public accounts send: the only module of `home` that sends messages."""

from django.db import models
from django.urls import reverse

from core import messenger


class Message(models.TextChoices):
    ACCOUNT_CONFIRM_EMAIL = "account_confirm_email", "Finish making your account"
    ACCOUNT_EXISTS = "account_exists", "You already have an account"
    PASSWORD_RESET = "password_reset", "Choose a new password"


def account_exists(user) -> None:
    messenger.send(
        Message.ACCOUNT_EXISTS,
        emails=[user.email],
        context={"first_name": user.first_name},
        url=reverse("account:sign_in"),
    )


def account_confirm_email(user, *, confirm_url: str) -> None:
    messenger.send(
        Message.ACCOUNT_CONFIRM_EMAIL,
        emails=[user.email],
        context={"first_name": user.first_name},
        url=confirm_url,
    )


def password_reset(user, *, reset_url: str) -> None:
    messenger.send(
        Message.PASSWORD_RESET,
        users=[user],
        context={"first_name": user.first_name},
        url=reset_url,
        inbox_url=reverse("account:reset"),
    )
