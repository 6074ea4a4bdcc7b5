"""Public accounts for families (and the young auditors the kitemark coordinator sets up).

Families and young auditors never use the Wagtail admin. They sign in here, on the public site:
families with their email address, young auditors on their own easy-read page with the short
username the kitemark coordinator gave them. Creating an account never tells anyone whether an
email address is already known (that alone would say a family has a disabled child): the same
"check your email" page follows either way, and the email itself says what to do next.

Apps add a panel to the account page through `core.account_panels`.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_encode
from django.views.decorators.http import require_http_methods, require_POST

from brokerage.services import family_profile_start
from core.access import public_login_required
from core.account_panels import account_panels
from core.models import AuditEvent, Consent
from core.roles import FAMILIES
from core.throttle import account_of, hit, too_many_tries
from kitemark.permissions import is_young_auditor

from . import notifications

ACCOUNT_SALT = "home.account.confirm"
PRIVACY_CONSENT = "account_privacy"
PRIVACY_WORDING = (
    "I have read how the service uses my information (the privacy notice) and I agree to "
    "the service keeping my account details."
)

# --- Forms ------------------------------------------------------------------------------------


class SignInForm(forms.Form):
    email = forms.CharField(label="Email address or username", max_length=254)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)

    error_messages = {
        "invalid": "Enter the email address and password for your account. "
        "If you have forgotten your password, you can reset it.",
    }

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        email = (self.cleaned_data.get("email") or "").strip()
        password = self.cleaned_data.get("password")
        if not email or not password:
            return self.cleaned_data
        username = email
        if "@" in email:
            match = get_user_model().objects.filter(email__iexact=email).order_by("pk").first()
            username = match.get_username() if match else email
        self.user = authenticate(self.request, username=username, password=password)
        if self.user is None:
            raise forms.ValidationError(self.error_messages["invalid"])
        return self.cleaned_data


class AuditorSignInForm(forms.Form):
    """Young auditors sign in with the short username the kitemark coordinator gave them.
    Only young auditors get in here: anyone else's details get the same message as a wrong
    password. Every try goes through `authenticate`, so django-axes throttles it as it does
    the families' sign-in."""

    username = forms.CharField(
        label="Your username",
        max_length=150,
        error_messages={"required": "Type your username"},
    )
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Type your password"},
    )

    error_messages = {
        "invalid": "Your username or password is not right. Check them and try again. "
        "The kitemark coordinator can help.",
    }

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        typed = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        if not typed or not password:
            return self.cleaned_data
        match = get_user_model().objects.filter(username__iexact=typed).order_by("pk").first()
        username = match.get_username() if match else typed
        user = authenticate(self.request, username=username, password=password)
        if user is None or not is_young_auditor(user):
            raise forms.ValidationError(self.error_messages["invalid"])
        self.user = user
        return self.cleaned_data


class CreateAccountForm(forms.Form):
    first_name = forms.CharField(
        label="Your first name",
        max_length=60,
        help_text="We use this to say hello. You do not need to give your full name.",
        error_messages={"required": "Enter your first name"},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We will send you a link to check it is yours.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    who = forms.ChoiceField(
        label="Who are you?",
        widget=forms.RadioSelect,
        choices=[
            ("parent", "A parent or carer of a disabled child or young person"),
            ("young_person", "A young person aged 16 or over"),
        ],
        help_text="If you are under 16, ask a parent or carer to make the account.",
        error_messages={"required": "Select who you are"},
    )
    password = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput,
        strip=False,
        help_text="At least 10 characters. A few words you will remember works well.",
        error_messages={"required": "Create a password"},
    )
    privacy = forms.BooleanField(
        label=PRIVACY_WORDING,
        error_messages={"required": "Tick the box to say you agree, or you cannot make an account"},
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class ResetForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )


# --- Services ---------------------------------------------------------------------------------


def account_token(user) -> str:
    return signing.TimestampSigner(salt=ACCOUNT_SALT).sign_object({"u": user.pk})


def account_request(*, first_name: str, email: str, password: str, who: str):
    """A family asks for an account. A new address gets an inactive account and a link to
    confirm it; a known address gets an email saying so. Nothing else differs."""
    users = get_user_model().objects
    email = email.strip()
    with transaction.atomic():
        existing = users.filter(email__iexact=email).order_by("pk").first()
        if existing is not None:
            # The same work as a new account (hashing the password is most of it), so how
            # long the answer takes does not tell anyone whether the address has an account.
            make_password(password)
            notifications.account_exists(existing)
            return None
        user = users.create_user(
            username=email.lower()[:150],
            email=email,
            password=password,
            first_name=first_name.strip(),
            is_active=False,
        )
        user.groups.add(Group.objects.get(name=FAMILIES))
        family_profile_start(user=user, who=who)  # their requests never ask "who is asking"
        Consent.objects.create(user=user, purpose=PRIVACY_CONSENT, wording=PRIVACY_WORDING)
        AuditEvent.objects.create(
            actor=None,
            action="account_requested",
            object_type=user._meta.label_lower,
            object_id=str(user.pk),
            summary=f"Family account requested ({who.replace('_', ' ')})",
        )
        notifications.account_confirm_email(user)
    return user


def confirm_link(user) -> str | None:
    """The link in the "finish making your account" email, made as it is sent."""
    if user.is_active:
        return None
    return reverse("account:confirm", args=[account_token(user)])


def password_reset_link(user) -> str | None:
    """The link in the password reset email, made as it is sent (never stored)."""
    if not user.is_active:
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("account:reset_confirm", args=[uid, token])


def account_confirm(*, token: str):
    """Raises signing.BadSignature (or SignatureExpired) for a bad or old link."""
    max_age = datetime.timedelta(days=settings.ACCOUNT_LINK_MAX_AGE_DAYS)
    data = signing.TimestampSigner(salt=ACCOUNT_SALT).unsign_object(token, max_age=max_age)
    user = get_user_model().objects.get(pk=data["u"])
    confirmed = AuditEvent.objects.filter(
        action="account_confirmed", object_type=user._meta.label_lower, object_id=str(user.pk)
    )
    if confirmed.exists():
        # A link works once: used again, it never undoes a deactivation by the council.
        raise signing.BadSignature("This link has already been used")
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        AuditEvent.objects.create(
            actor=user,
            action="account_confirmed",
            object_type=user._meta.label_lower,
            object_id=str(user.pk),
            summary="Email address confirmed",
        )
    return user


def password_reset_request(*, email: str) -> None:
    for user in get_user_model().objects.filter(email__iexact=email.strip(), is_active=True):
        if not user.has_usable_password() and user.is_staff:
            continue  # staff without a password are set up by the council, not here
        notifications.password_reset(user)


# --- Views ------------------------------------------------------------------------------------


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_http_methods(["GET", "POST"])
def sign_in(request):
    form = SignInForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return redirect(safe_next(request, reverse("account:home")))
    return render(
        request, "home/account/sign_in.html", {"form": form, "next": safe_next(request, "")}
    )


@require_http_methods(["GET", "POST"])
def auditor_sign_in(request):
    """The young auditors' own sign-in page: easy read, a short username, and straight to
    their kitemark visits."""
    form = AuditorSignInForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return redirect(safe_next(request, reverse("kitemark:auditor_home")))
    return render(
        request,
        "home/account/auditor_sign_in.html",
        {"form": form, "next": safe_next(request, "")},
    )


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, "You have signed out.")
    return redirect("/")


@require_http_methods(["GET", "POST"])
def create(request):
    if request.user.is_authenticated:
        return redirect("account:home")
    form = CreateAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = account_of(request, form.cleaned_data["email"])
        if throttled := hit("account_create", request=request, account=account):
            return too_many_tries(request, "home/account/create.html", {"form": form}, throttled)
        account_request(
            first_name=form.cleaned_data["first_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            who=form.cleaned_data["who"],
        )
        return render(request, "home/account/check_email.html", {"purpose": "create"})
    return render(request, "home/account/create.html", {"form": form})


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows a button; only the POST confirms, so an email scanner following the link
    cannot."""
    if request.method == "POST":
        try:
            account_confirm(token=token)
        except (signing.BadSignature, get_user_model().DoesNotExist):
            return render(request, "home/account/link_problem.html", status=400)
        messages.success(request, "Your email address is confirmed. You can now sign in.")
        return redirect("account:sign_in")
    return render(request, "home/account/confirm.html")


@require_http_methods(["GET", "POST"])
def reset(request):
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = account_of(request, form.cleaned_data["email"])
        if throttled := hit("password_reset", request=request, account=account):
            return too_many_tries(request, "home/account/reset.html", {"form": form}, throttled)
        password_reset_request(email=form.cleaned_data["email"])
        return render(request, "home/account/check_email.html", {"purpose": "reset"})
    return render(request, "home/account/reset.html", {"form": form})


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "home/account/reset_confirm.html"
    success_url = reverse_lazy("account:sign_in")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is changed. You can now sign in.")
        return response


@public_login_required
def home(request):
    updates = request.user.notifications.all()[:20]
    return render(
        request,
        "home/account/home.html",
        {"updates": updates, "panels": account_panels(request)},
    )
