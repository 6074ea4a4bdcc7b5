"""Who may open the public site's signed-in pages, built on Django's own decorators.

Families and young auditors sign in on the public site, never in the Wagtail admin, so their
pages send people to the public sign-in page rather than to `settings.LOGIN_URL` (the admin's).
A signed-in person outside the page's groups is refused (403), not sent to sign in again.
"""

from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.exceptions import PermissionDenied
from django.urls import reverse_lazy

from .roles import in_group

SIGN_IN = reverse_lazy("account:sign_in")

public_login_required = login_required(login_url=SIGN_IN)


def group_required(*names: str):
    """Signed in (or sent to sign in) and in one of the named groups (or refused with 403)."""

    def in_named_group(user) -> bool:
        if in_group(user, *names):
            return True
        raise PermissionDenied

    def decorator(view):
        return public_login_required(user_passes_test(in_named_group)(view))

    return decorator
