from django.conf import settings
from django.core.exceptions import PermissionDenied

from .roles import is_council_staff


class SecurityHeadersMiddleware:
    """Adds the Content Security Policy to public pages.

    The Wagtail admin relies on inline styles and scripts of its own, so the policy is applied
    to the public site only; the admin keeps X-Frame-Options and the other Django headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(("/admin/", "/django-admin/")):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(), camera=(), microphone=()"
        )
        return response


class CouncilOnlyReportsMiddleware:
    """Wagtail's reports list every organisation's pages and who changed them: anyone signed in
    who is not council staff is refused (403), whatever page permissions they hold. Signed-out
    visitors go on to the admin's own sign-in redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            match is not None
            and "wagtailadmin_reports" in match.namespaces
            and request.user.is_authenticated
            and not is_council_staff(request.user)
        ):
            raise PermissionDenied
        return None
