"""Changing the email address of an account, for everyone: families, providers and staff.

Sign-in finds accounts by email address, so an address is only changed once its owner has
shown they can read it: a link goes to the new address, the change happens only when that link
is used (once), and the old address is told. The Wagtail admin's own email field is switched
off (`WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False`) and its account page links here instead.

The link holds no address (links end up in logs and browser histories): only the account and a
keyed hash of its current and new addresses. Whoever follows it types the new address again,
which must match; once the address has changed the hash no longer matches, so the link is spent.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.http import require_http_methods

from core.access import public_login_required
from core.models import AuditEvent

from . import notifications

EMAIL_CHANGE_SALT = "home.account.email_change"
EMAIL_ERRORS = {
    "required": "Enter your new email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
}


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label="New email address", error_messages=EMAIL_ERRORS)
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput,
        strip=False,
        help_text="So we know it is you asking.",
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email.lower() == (self.request.user.email or "").lower():
            raise forms.ValidationError("This is already your email address")
        return email

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        # authenticate(), not check_password(): wrong guesses count towards the sign-in lock.
        if authenticate(self.request, username=user.get_username(), password=password) != user:
            raise forms.ValidationError("Your password is not right")
        return password


class EmailConfirmForm(forms.Form):
    email = forms.EmailField(label="Your new email address", error_messages=EMAIL_ERRORS)


# --- Services ---------------------------------------------------------------------------------


def _digest(user, new_email: str) -> str:
    value = f"{user.pk}:{(user.email or '').lower()}:{new_email.strip().lower()}"
    return salted_hmac(EMAIL_CHANGE_SALT, value).hexdigest()


def email_change_token(user, new_email: str) -> str:
    return signing.TimestampSigner(salt=EMAIL_CHANGE_SALT).sign_object(
        {"u": user.pk, "h": _digest(user, new_email)}
    )


def address_in_use(email: str, *, other_than=None) -> bool:
    users = get_user_model().objects.filter(email__iexact=email.strip())
    if other_than is not None:
        users = users.exclude(pk=other_than.pk)
    return users.exists()


def email_change_request(*, user, new_email: str) -> None:
    """Sends the confirmation link to the new address. An address another account already
    uses gets an email saying so instead, and the person asking sees the same page either way,
    so the form never tells anyone who has an account."""
    new_email = new_email.strip()
    if address_in_use(new_email, other_than=user):
        notifications.email_change_address_in_use(new_email)
        return
    token = email_change_token(user, new_email)
    notifications.email_change_confirm(
        user, new_email=new_email, confirm_url=reverse("account:email_confirm", args=[token])
    )
    AuditEvent.objects.create(
        actor=user,
        action="email_change_requested",
        object_type=user._meta.label_lower,
        object_id=str(user.pk),
        summary="Email address change asked for; link sent to the new address",
    )


def email_change_confirm(*, token: str, new_email: str):
    """Applies the change. Raises signing.BadSignature (or SignatureExpired) for a bad, old or
    used link, or an address that is not the one the link was sent to or is now taken."""
    max_age = datetime.timedelta(days=settings.ACCOUNT_LINK_MAX_AGE_DAYS)
    data = signing.TimestampSigner(salt=EMAIL_CHANGE_SALT).unsign_object(token, max_age=max_age)
    users = get_user_model().objects
    with transaction.atomic():
        user = users.select_for_update().filter(pk=data["u"], is_active=True).first()
        if user is None or not constant_time_compare(_digest(user, new_email), data["h"]):
            raise signing.BadSignature("Not the address this link was sent to, or already used")
        if address_in_use(new_email, other_than=user):
            raise signing.BadSignature("Another account has this address now")
        old_email = user.email
        new_email = new_email.strip()
        user.email = new_email
        fields = ["email"]
        # Families sign up with their address as their username too: keep the old one nowhere.
        username = new_email.lower()[: user._meta.get_field("username").max_length]
        if (
            user.get_username() == (old_email or "").lower()
            and not users.filter(username=username).exclude(pk=user.pk).exists()
        ):
            user.username = username
            fields.append("username")
        user.save(update_fields=fields)
        AuditEvent.objects.create(
            actor=user,
            action="email_changed",
            object_type=user._meta.label_lower,
            object_id=str(user.pk),
            summary="Email address changed, confirmed from the new address",
        )
        if old_email:
            notifications.email_changed(user, old_email=old_email)
    return user


# --- Views ------------------------------------------------------------------------------------


@public_login_required
@require_http_methods(["GET", "POST"])
def change(request):
    form = EmailChangeForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        email_change_request(user=request.user, new_email=form.cleaned_data["email"])
        return render(request, "home/account/check_email.html", {"purpose": "email_change"})
    return render(request, "home/account/email_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """The link from the email. Nothing changes on GET (email scanners follow links): the
    person types the new address and presses the button."""
    form = EmailConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            email_change_confirm(token=token, new_email=form.cleaned_data["email"])
        except signing.BadSignature:
            return render(
                request, "home/account/link_problem.html", {"purpose": "email_change"}, status=400
            )
        messages.success(request, "Your email address is changed. Use it to sign in from now on.")
        if request.user.is_authenticated:
            return redirect("account:home")
        return redirect("account:sign_in")
    return render(request, "home/account/email_confirm.html", {"form": form})
