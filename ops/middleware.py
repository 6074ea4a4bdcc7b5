"""Middleware for running the site: request ids, health probes and a database that is away."""

import logging
import re
import uuid

from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

from . import health
from .logging import request_id_var

logger = logging.getLogger("ops.database")

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from the proxy in front is kept when it looks like one, so the two logs join up.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
RETRY_AFTER_SECONDS = 30


class RequestIdMiddleware:
    """Gives every request an id, logged with each line written while answering it and sent
    back in the `X-Request-ID` header (the id a family can quote when they report a problem)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response.headers[REQUEST_ID_HEADER] = request_id
        return response


class HealthCheckMiddleware:
    """Answers `/healthz` and `/readyz` before anything checks the host name or redirects to
    HTTPS, so a load balancer probing a container by its IP address over plain HTTP is
    answered rather than refused."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return health.liveness(request)
        if request.path_info == "/readyz":
            return health.readiness(request)
        return self.get_response(request)


def unavailable_response() -> HttpResponse:
    """A plain page saying the service is briefly unavailable. Rendered from a template that
    needs no database, no request context and no static-file manifest."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def is_database_unavailable(exception: BaseException) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def drop_broken_connections() -> None:
    """Close any connection the failure left unusable, so the next request opens a new one.
    Django does this too when a request finishes; doing it here as well means recovery does not
    depend on how the request ends (a streamed response, a test client, a worker thread)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


class DatabaseUnavailableMiddleware:
    """When the database goes away mid-request, families and staff see "try again shortly"
    (503 with Retry-After) rather than an error page. Django closes a connection that failed
    at the end of the request, so the next request connects afresh: the site recovers on its
    own when the database is back, without a restart (`drop_broken_connections`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.error("Database unavailable: %s", exception.__class__.__name__, exc_info=True)
        drop_broken_connections()
        return unavailable_response()
