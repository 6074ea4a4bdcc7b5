"""The site's 500 handler: a database that went away shows the 503 page wherever it failed."""

import sys

from django.views import defaults

from .middleware import drop_broken_connections, is_database_unavailable, unavailable_response


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """Django's own 500 page, except when the database was the cause (say, while a middleware
    saved the session after the view had answered): then "try again shortly", with Retry-After."""
    error = sys.exc_info()[1]
    if error is not None and is_database_unavailable(error):
        drop_broken_connections()
        return unavailable_response()
    return defaults.server_error(request, template_name)
