from django.conf import settings


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
