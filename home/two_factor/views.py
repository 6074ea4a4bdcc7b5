"""The two-factor pages, inside the admin (/admin/two-factor/, `home/wagtail_hooks.py`).

Entering a code and setting up an app look like Wagtail's sign-in page (the person is not fully
signed in yet, so no menu); managing one's own is an ordinary admin page."""

from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticToken

from core.admin_base import StaffAdminView, form_errors_to_form

from . import rules, services
from .forms import CodeForm, ResetForm


def next_url(request) -> str:
    """Where the person was going, if it is on this site; else the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    printable = target.isprintable()  # no newline or NUL to break the Location header
    if (
        target
        and printable
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return reverse("wagtailadmin_home")


def verify(request):
    """The second step of signing in: the code from the authenticator app, or a backup code."""
    if rules.next_step(request.user) != rules.VERIFY:
        return redirect(next_url(request))
    credentials = services.credentials(request.user)
    if services.sign_in_locked(request):
        logout(request)
        return get_lockout_response(request, credentials=credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_check(request=request, code=form.cleaned_data["code"])
        except services.SignInLocked:
            return get_lockout_response(request, credentials=credentials)
        except ValidationError as error:
            form_errors_to_form(form, error)
        else:
            return redirect(next_url(request))
    return render(
        request,
        "home/two_factor/verify.html",
        {"form": form, "next": next_url(request), "page_title": "Enter your security code"},
    )


def set_up(request):
    """Setting up an authenticator app: a QR code, the key as text, and the first code."""
    user = request.user
    if rules.has_authenticator(user):
        return redirect("two_factor_verify" if not user.is_verified() else "two_factor_manage")
    device = services.authenticator_pending(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.authenticator_confirm(request=request, code=form.cleaned_data["code"])
        except ValidationError as error:
            form_errors_to_form(form, error)
        else:
            return render(
                request,
                "home/two_factor/backup_codes.html",
                {
                    "codes": codes,
                    "next": next_url(request),
                    "first_time": True,
                    "page_title": "Your backup codes",
                },
            )
    return render(
        request,
        "home/two_factor/set_up.html",
        {
            "form": form,
            "next": next_url(request),
            "qr_code": services.qr_code_svg(device),
            "key": services.readable_key(device),
            "required": rules.must_use_second_factor(user),
            "page_title": "Set up two-factor sign-in",
        },
    )


class ManageView(StaffAdminView):
    """One's own two-factor sign-in: set it up, new backup codes, remove it; for
    administrators, resetting someone else's after a lost phone."""

    template_name = "home/two_factor/manage.html"
    page_title = "Two-factor sign-in"
    header_icon = "key"

    def allowed(self, user) -> bool:
        return rules.uses_admin(user)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            has_authenticator=rules.has_authenticator(user),
            required=rules.must_use_second_factor(user),
            backup_codes_left=StaticToken.objects.filter(device__user=user).count(),
            reset_form=kwargs.pop("reset_form", None) or ResetForm(),
            may_reset_others=user.is_superuser,
            **kwargs,
        )


@require_POST
def backup_codes(request):
    try:
        codes = services.backup_codes_renew(user=request.user)
    except PermissionDenied:
        return redirect("two_factor_set_up")
    return render(
        request,
        "home/two_factor/backup_codes.html",
        {
            "codes": codes,
            "next": reverse("two_factor_manage"),
            "first_time": False,
            "page_title": "Your backup codes",
        },
    )


@require_POST
def remove(request):
    services.second_factor_remove(actor=request.user, user=request.user)
    if rules.must_use_second_factor(request.user):
        messages.success(request, "Your old app is removed. Set up your new one now.")
        return redirect("two_factor_set_up")
    messages.success(request, "Two-factor sign-in is turned off for your account.")
    return redirect("two_factor_manage")


@require_POST
def reset(request):
    """An administrator resets someone's two-factor sign-in (a lost or replaced phone)."""
    if not request.user.is_superuser:
        raise PermissionDenied
    form = ResetForm(request.POST)
    if form.is_valid():
        person = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if person is None:
            form.add_error("username", "There is no account with that username")
        else:
            services.second_factor_remove(actor=request.user, user=person)
            messages.success(
                request,
                f"Two-factor sign-in is reset for {person.get_username()}. They set up a new "
                "app the next time they sign in.",
            )
            return redirect("two_factor_manage")
    view = ManageView()
    view.setup(request)
    return view.render_to_response(view.get_context_data(reset_form=form))
