"""`make bench`: production-like (DEBUG off) against its own SQLite file, so the figures are
not distorted by debug tooling and the demo database is left alone."""

import os
import warnings

from .base import *  # noqa: F403

# Static files come from the finders here; there is no collectstatic directory to serve.
warnings.filterwarnings("ignore", message="No directory at")

DEBUG = False
SECRET_KEY = "bench-only-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
if not os.environ.get("DATABASE_URL"):
    DATABASES["default"]["NAME"] = str(BASE_DIR / os.environ.get("BENCH_DB", "bench.sqlite3"))  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
