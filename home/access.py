"""Who may open the public site's signed-in pages.

Families and young auditors sign in on the public site, never in the Wagtail admin, so their
pages send people to the public sign-in page rather than to `settings.LOGIN_URL` (the admin's).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


def public_login_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account:sign_in"))
        return view(request, *args, **kwargs)

    return wrapped


def in_group(user, *names: str) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name__in=names).exists()


def group_required(*names: str):
    """Signed in (or sent to sign in) and in one of the named groups (or refused with 403)."""

    def decorator(view):
        @public_login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not in_group(request.user, *names):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
