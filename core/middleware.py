from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from .admin_base import choosable_page_ids
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


class AdminScopeMiddleware:
    """What the Wagtail admin shows beyond a person's own work (see `core/wagtail_hooks.py`).

    Wagtail's reports list every organisation's pages and who changed them: anyone signed in
    who is not council staff is refused (403), whatever page permissions they hold. The page
    chooser's "chosen" step answers with the titles of any page ids asked for: someone who is
    not council staff gets a 404 for a page they could not have chosen. Signed-out visitors go
    on to the admin's own sign-in redirect."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.user.is_authenticated or is_council_staff(request.user):
            return None
        if "wagtailadmin_reports" in match.namespaces:
            raise PermissionDenied
        if match.url_name == "wagtailadmin_choose_page_chosen_multiple":
            asked = request.GET.getlist("id")
            if not all(pk.isdigit() for pk in asked):
                raise Http404
            if not {int(pk) for pk in asked} <= choosable_page_ids(request.user):
                raise Http404
        return None
