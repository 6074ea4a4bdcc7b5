"""Who signs in with a second factor, and what a signed-in person must do next."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import is_staff_member

VERIFY = "verify"
SET_UP = "set_up"


def must_use_second_factor(user) -> bool:
    """Council staff, brokers, coordinators and administrators, wherever the setting is on
    (always in production)."""
    return bool(settings.TWO_FACTOR_REQUIRED and is_staff_member(user))


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def uses_admin(user) -> bool:
    return bool(user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def next_step(user) -> str | None:
    """VERIFY (enter a code), SET_UP (set up an authenticator app first) or None (nothing
    more to do) for a signed-in person."""
    if not user.is_authenticated or user.is_verified():
        return None
    if has_authenticator(user):
        return VERIFY
    if must_use_second_factor(user):
        return SET_UP
    return None
