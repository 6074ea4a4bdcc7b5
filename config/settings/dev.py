"""Local development: `make run`. Never used in production."""

import warnings

from .base import *  # noqa: F403

# Static files come from the finders here; there is no collectstatic directory to serve.
warnings.filterwarnings("ignore", message="No directory at")

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-short-breaks"  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# `make run` with the demo accounts: staff may set up two-factor sign-in but are not made to
# (TWO_FACTOR_REQUIRED=on to try it as production has it). Production always requires it.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)  # noqa: F405
