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
