"""The step after the password, and staff sessions that end when left idle."""

import datetime

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import rules

# Pages a person may open between their password and their second factor.
STEP_NAMES = {
    rules.VERIFY: "two_factor_verify",
    rules.SET_UP: "two_factor_set_up",
}
OPEN_NAMES = (
    "two_factor_verify",
    "two_factor_set_up",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "account:sign_out",
)


class SecondFactorMiddleware:
    """After the password, someone with an authenticator app (anyone who has set one up) is
    asked for its code, and council staff, brokers, coordinators and administrators without one
    are sent to set one up, before any other page: in the admin and on the public site alike
    (a coordinator sees review photos there). Families and young auditors are never asked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(self.open_paths()):
            step = rules.next_step(user)
            if step is not None:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(STEP_NAMES[step])}?{query}")
        return self.get_response(request)

    @staticmethod
    def open_paths() -> tuple[str, ...]:
        return (settings.STATIC_URL, *(reverse(name) for name in OPEN_NAMES))


class StaffIdleTimeoutMiddleware:
    """Everyone who uses the admin is signed out after STAFF_SESSION_IDLE_MINUTES without a
    request: each request moves the end of their session on. Families and young auditors keep
    Django's usual session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if rules.uses_admin(request.user):
            idle = datetime.timedelta(minutes=settings.STAFF_SESSION_IDLE_MINUTES)
            request.session.set_expiry(int(idle.total_seconds()))
        return self.get_response(request)
