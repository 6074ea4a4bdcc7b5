"""Setting up, checking and removing a person's second factor.

A person has at most one authenticator app (a TOTP device) and one set of backup codes (a
static device), named below. The audit trail records that a device was set up, renewed or
removed and by whom; never a key or a code.
"""

import base64

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.audit import audit

AUTHENTICATOR = "Authenticator app"
BACKUP_CODES = "Backup codes"
BACKUP_CODE_COUNT = 10

WRONG_CODE = "That code is not right. Enter the 6-digit code your authenticator app shows now."
NO_CODE = "Enter the 6-digit code from your authenticator app"


def normalise(code: str) -> str:
    """What people type: spaces and dashes ignored, backup codes in any case."""
    return "".join(ch for ch in (code or "") if ch not in " -").lower()


# --- Setting up an authenticator app -----------------------------------------------------------


def authenticator_pending(*, user) -> TOTPDevice:
    """The authenticator being set up: a new key, kept until it is confirmed with a code. A
    person who already has an authenticator removes it first."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise PermissionDenied("You already have an authenticator app set up")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    return device


def readable_key(device: TOTPDevice) -> str:
    """The key for typing into an app by hand: base32, in groups of four."""
    key = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The authenticator's set-up address as an SVG QR code, drawn on the server."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=20, border=2
    )
    svg = image.to_string(encoding="unicode")
    svg = svg.replace(
        "<svg ",
        '<svg role="img" aria-labelledby="qr-code-title" focusable="false" ',
        1,
    )
    title = format_html(
        '<title id="qr-code-title">{}</title>', "QR code for your authenticator app"
    )
    return mark_safe(svg.replace(">", ">" + title, 1))  # noqa: S308  drawn here from a URL we made


@transaction.atomic
def authenticator_confirm(*, request, code: str) -> list[str]:
    """The first code from the new app proves it is set up: the person is signed in with it
    and given backup codes (returned, to be shown once)."""
    user = request.user
    device = authenticator_pending(user=user)
    code = normalise(code)
    if not code:
        raise ValidationError({"code": NO_CODE})
    if not code.isdigit() or not device.verify_token(code):
        raise ValidationError({"code": WRONG_CODE})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    otp_login(request, device)
    audit(
        actor=user,
        action="two_factor_set_up",
        obj=user,
        summary="Set up two-factor sign-in with an authenticator app",
    )
    return _new_backup_codes(user)


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    """New backup codes; the old ones stop working."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise PermissionDenied("Set up an authenticator app first")
    codes = _new_backup_codes(user)
    audit(actor=user, action="two_factor_backup_codes", obj=user, summary="New backup codes")
    return codes


# --- Signing in with a code -------------------------------------------------------------------


class SignInLocked(Exception):
    """Too many wrong passwords or codes: the person is signed out (django-axes' lock)."""


def credentials(user) -> dict:
    return {"username": user.get_username()}


def sign_in_locked(request) -> bool:
    """Too many wrong passwords or codes for this account or address (django-axes)."""
    return bool(AxesProxyHandler.is_locked(request, credentials(request.user)))


def second_factor_check(*, request, code: str) -> None:
    """Signs the person in with their authenticator's code or one of their backup codes (each
    works once). A wrong code counts as a failed sign-in for the throttle (django-axes); when
    it locks the account the person is signed out and shown the locked page. Each device also
    refuses codes for a growing while after wrong ones (django-otp)."""
    user = request.user
    code = normalise(code)
    if not code:
        raise ValidationError({"code": NO_CODE})
    # Six digits are the app's code; anything else can only be a backup code. Trying each
    # against the other device would count as a wrong code there and slow the next one down.
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    throttled = False
    with transaction.atomic():
        device = kind.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None:
            throttled = not device.verify_is_allowed()[0]
            if not throttled and device.verify_token(code):
                otp_login(request, device)
                return
    user_login_failed.send(sender=__name__, credentials=credentials(user), request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        raise SignInLocked
    if throttled:
        raise ValidationError(
            {"code": "Too many wrong codes. Wait a minute, then enter the code your app shows."}
        )
    raise ValidationError(
        {
            "code": "That code is not right. Enter the 6-digit code your authenticator app "
            "shows now, or one of your backup codes."
        }
    )


# --- Removing -------------------------------------------------------------------------------


def may_remove_for(actor, user) -> bool:
    """Anyone may remove their own; an administrator may remove anyone's (a lost phone)."""
    return bool(actor.is_authenticated and (actor.pk == user.pk or actor.is_superuser))


@transaction.atomic
def second_factor_remove(*, actor, user) -> None:
    """Removes a person's authenticator app and backup codes. If their role requires two-factor
    sign-in, they set up a new app the next time they sign in."""
    if not may_remove_for(actor, user):
        raise PermissionDenied("Only an administrator may reset someone else's two-factor sign-in")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    summary = (
        "Removed their own two-factor sign-in"
        if actor.pk == user.pk
        else "Reset two-factor sign-in for a lost or replaced device"
    )
    audit(actor=actor, action="two_factor_removed", obj=user, summary=summary)
