"""Production: refuses to start without its required configuration, secure by default."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL")
missing = [name for name in REQUIRED if not os.environ.get(name)]
if missing:
    raise ImproperlyConfigured(
        "Production settings need these environment variables: " + ", ".join(missing)
    )

DEBUG = False
# Council staff, brokers and coordinators sign in to the admin with a second factor: never
# switched off here, whatever the environment says.
TWO_FACTOR_REQUIRED = True
SECRET_KEY = os.environ["SECRET_KEY"]
# The rule of Django's own deploy check (security.W009), enforced at start rather than only
# warned about: a short, repetitive or generated-for-development key can be guessed, and with it
# every session and password-reset link forged.
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 characters with at least 5 different ones, and not "
        "one made by startproject (django-insecure-...), e.g. "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = [h.strip() for h in os.environ["ALLOWED_HOSTS"].split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if not h.startswith(".")]

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS-only cookies. SECURE_COOKIES=off exists only to try the production set-up over plain
# HTTP on one machine (`make loadtest`); never behind a public address.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)  # noqa: F405
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)  # noqa: F405
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' HSTS preload list binds the whole registrable domain (usually the
    # council's), so it is the domain owner's decision: SECURE_HSTS_PRELOAD=true opts in.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)  # noqa: F405
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)  # noqa: F405

# Errors to Sentry when SENTRY_DSN is set, scrubbed of personal data first (ops/sentry.py).
from ops.sentry import init_sentry  # noqa: E402

init_sentry()
