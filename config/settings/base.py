"""Settings shared by every environment. Safe for production: dev.py and test.py relax it."""

import datetime
import os
from pathlib import Path

import dj_database_url

CONFIG_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = CONFIG_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


SERVICE_NAME = os.environ.get("SERVICE_NAME", "Short Breaks Finder")
COUNCIL_NAME = os.environ.get("COUNCIL_NAME", "Northumberland and Newcastle")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "core",
    "gazetteer",
    "home",
    "directory",
    "kitemark",
    "brokerage",
    "search",
    "openref",
    "demo",
    "ops",
    "sufficiency",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # Two-factor sign-in for the admin: authenticator apps (TOTP) and backup codes
    # (home/two_factor/, docs/operations.md).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # First: every log line carries the request id, and health probes are answered before any
    # host check or HTTPS redirect (ops/middleware.py).
    "ops.middleware.RequestIdMiddleware",
    "ops.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # People who use the admin: signed out after STAFF_SESSION_IDLE_MINUTES idle, and asked for
    # their second factor (or to set one up) before any page (home/two_factor/middleware.py).
    "home.two_factor.middleware.StaffIdleTimeoutMiddleware",
    "home.two_factor.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    # Wagtail's reports and the page chooser's answers list other organisations' pages: only
    # council staff see past their own (core/wagtail_hooks.py).
    "core.middleware.AdminScopeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The database going away mid-request: a plain 503 page, and recovery without a restart.
    "ops.middleware.DatabaseUnavailableMiddleware",
    # Last: answers a sign-in refused for too many failures with the "locked" page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in throttling (django-axes), for the public sign-in and the admin's alike: after
# AXES_FAILURE_LIMIT wrong passwords for one account, or from one address, sign-in is refused
# for AXES_COOLOFF_TIME, even with the right password. A success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "home/account/locked.html"
AXES_VERBOSE = False  # no usernames in the logs
# What a failed try recorded by axes never keeps in the clear: beside the password (always
# masked), a two-factor code typed wrongly (home/two_factor/) is masked too.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# How many reverse proxies the council runs in front of the site (core/client_ip.py).
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# Throttling the other public forms (core/throttle.py): tries per window from one address
# and for one account (the email address typed, or the signed-in person). Over the limit,
# the form answers 429 and says how many minutes to wait.
THROTTLES = {
    "account_create": {"per_address": 10, "per_account": 3, "minutes": 60},
    "password_reset": {"per_address": 10, "per_account": 3, "minutes": 60},
    "provider_application": {"per_address": 5, "per_account": 3, "minutes": 60},
    "report_problem": {"per_address": 10, "per_account": 5, "minutes": 60},
}
# The counts are shared by every web worker through the database (`manage.py migrate`
# creates the table: core/migrations/0003_throttle_cache.py).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "core_throttle_cache",
    },
}
THROTTLE_CACHE = "throttle"

# Two-factor sign-in (home/two_factor/): council staff, brokers, kitemark coordinators and
# administrators must set up an authenticator app before they reach any admin page; anyone
# else who uses the admin (providers) may. Wrong codes count towards the sign-in throttle
# above, and each device also slows down repeated wrong codes itself (django-otp).
TWO_FACTOR_REQUIRED = True
OTP_TOTP_ISSUER = SERVICE_NAME
# Sessions of people who use the admin end after this long without a request; families' and
# young auditors' sessions keep Django's usual length.
STAFF_SESSION_IDLE_MINUTES = 30

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [CONFIG_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.service",
                "home.context_processors.statement",
            ],
        },
    },
    {
        # Plain-text emails: the same templates, not HTML-escaped ("O'Brien", never
        # "O&#x27;Brien"). Only core.messenger renders with it (`using="text"`).
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [CONFIG_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Planner settings for the site's own connections (docs/performance.md), overridable:
    # - no JIT compilation: it pays off for long analytical queries, while every query here
    #   answers a person waiting for a page; compiling a match against 100,000 listings took
    #   longer than running it;
    # - random_page_cost 1.1, PostgreSQL's advice for SSDs or a database held in memory (the
    #   default, 4, models spinning disks): the planner then looks up the few thousand listings
    #   near a family by index instead of reading the whole table (search p50 -35%).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "POSTGRES_SESSION_OPTIONS", "-c jit=off -c random_page_cost=1.1"
    )
    # Search's few fixed statements (search/backends/listing_sql.py `fetch_all`) are prepared
    # on the server after five runs on a connection, so a search is not parsed and planned
    # again each time (about half of each statement's time). Django's own queries are never
    # prepared. Turn off behind a pooler that cannot keep prepared statements (PgBouncer in
    # transaction mode before 1.21).
    if env_bool("POSTGRES_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [
    CONFIG_DIR / "static",
    # GOV.UK Frontend is installed from npm by `make setup`; never committed.
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    BASE_DIR / "build" / "static",
]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"
# Uploaded files only a view that checks who is asking may give out: a web server serving
# MEDIA_ROOT must not serve these paths (docs/operations.md), and `make run` does not.
PRIVATE_MEDIA_PREFIXES = ["kitemark/"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Email: console in development, SMTP in production (see production.py).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "short-breaks@example.org")
COUNCIL_EMAIL = os.environ.get("COUNCIL_EMAIL", "short-breaks-team@example.org")
# A report about a child's safety goes at once to the council's designated safeguarding inbox
# (children's front door / MASH) and its LADO (allegations against people who work with
# children), with what was reported (docs/workflows/safeguarding-concerns.md).
SAFEGUARDING_EMAIL = os.environ.get("SAFEGUARDING_EMAIL", "safeguarding@example.org")
LADO_EMAIL = os.environ.get("LADO_EMAIL", "lado@example.org")

# Background work goes through Django's tasks API (django-tasks), database backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Finished background tasks and sent emails' records are deleted after this many days by
# the daily jobs (`manage.py prune_sent_email`; core/outbox.py).
EMAIL_RETENTION_DAYS = env_int("EMAIL_RETENTION_DAYS", 7)
# A task still running after this long was left by a worker that was killed, and is run again
# when a worker starts (core/worker.py); far longer than any task takes.
TASKS_ABANDONED_AFTER_MINUTES = env_int("TASKS_ABANDONED_AFTER_MINUTES", 30)

WAGTAIL_SITE_NAME = SERVICE_NAME
# Staff avatars would otherwise be fetched from Gravatar, sending a hash of their email to a
# third party on every admin page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAIL_MODERATION_ENABLED = True
# Sign-in finds accounts by email, so an address changes only through a link sent to it
# (home/email_change.py): the admin's account page has no email field, and links there instead.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Rich text editors named by their field's label for screen readers (core/widgets.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "core.widgets.LabelledDraftailRichTextArea"},
}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt"]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Product rules (configurable per council) ---------------------------------------
# Safeguarding: reminders before a DBS check falls due, and grace after it lapses.
DBS_REMINDER_DAYS = env_int("DBS_REMINDER_DAYS", 30)
DBS_LAPSE_GRACE_DAYS = env_int("DBS_LAPSE_GRACE_DAYS", 14)
DBS_RECHECK_MONTHS = env_int("DBS_RECHECK_MONTHS", 36)
DBS_UPDATE_SERVICE_CHECK_MONTHS = env_int("DBS_UPDATE_SERVICE_CHECK_MONTHS", 12)
# Freshness: reminders at 10 and 12 weeks, stale at 13 weeks, out of the directory at 26.
FRESHNESS_REMINDER_WEEKS = (10, 12)
FRESHNESS_STALE_WEEKS = env_int("FRESHNESS_STALE_WEEKS", 13)
FRESHNESS_EXPIRED_WEEKS = env_int("FRESHNESS_EXPIRED_WEEKS", 26)
FRESHNESS_LINK_MAX_AGE_DAYS = env_int("FRESHNESS_LINK_MAX_AGE_DAYS", 28)
PROVIDER_APPLICATION_LINK_MAX_AGE_DAYS = 7
# How long the directory keeps what outsiders told it (directory/privacy.py, docs/privacy.md).
DIRECTORY_RETENTION = {
    # an application whose email was never confirmed
    "application_unconfirmed_days": env_int("DIRECTORY_APPLICATION_UNCONFIRMED_DAYS", 30),
    # a declined application goes; an admitted one loses its contact's name, email and phone
    "application_decided_months": env_int("DIRECTORY_APPLICATION_RETENTION_MONTHS", 12),
    # a report's reply address, after the report was resolved
    "report_reply_days": env_int("DIRECTORY_REPORT_REPLY_RETENTION_DAYS", 90),
    # a resolved report (not a safeguarding one)
    "report_months": env_int("DIRECTORY_REPORT_RETENTION_MONTHS", 24),
}

# Kitemark (kitemark app): how long an award lasts, when renewal is due, when reviews are late.
KITEMARK_AWARD_MONTHS = env_int("KITEMARK_AWARD_MONTHS", 24)
KITEMARK_RENEWAL_NOTICE_MONTHS = env_int("KITEMARK_RENEWAL_NOTICE_MONTHS", 3)
KITEMARK_MIN_AUDITORS = 2
KITEMARK_REVIEW_DAYS = env_int("KITEMARK_REVIEW_DAYS", 7)  # after the visit
KITEMARK_VISIT_REMINDER_DAYS = env_int("KITEMARK_VISIT_REMINDER_DAYS", 3)
KITEMARK_TRAINING_VALID_MONTHS = env_int("KITEMARK_TRAINING_VALID_MONTHS", 12)
KITEMARK_REAUDIT_MONTHS = 6  # default re-audit date after "not yet"
KITEMARK_RETENTION = {
    # review photos and unpublished comments, after the panel decided (or the audit was cancelled)
    "review_months": env_int("KITEMARK_REVIEW_RETENTION_MONTHS", 12),
    # a young auditor not on any visit for this long is erased (their sent ratings stay)
    "auditor_inactive_months": env_int("KITEMARK_AUDITOR_RETENTION_MONTHS", 24),
}
ACCOUNT_LINK_MAX_AGE_DAYS = 7  # the link that finishes making a family account
PASSWORD_RESET_TIMEOUT = 3 * 24 * 60 * 60

# Search: a rural search starts wider than an urban one and widens step by step until it has
# enough results (miles). Providers travel at most SEARCH_MAX_TRAVEL_MILES.
SEARCH_URBAN_RADII = (3, 5, 10, 15)
SEARCH_RURAL_RADII = (10, 15, 20, 30)
SEARCH_ENOUGH_RESULTS = env_int("SEARCH_ENOUGH_RESULTS", 5)
SEARCH_MAX_TRAVEL_MILES = 100
# The councils the directory covers (named to a family outside them) are counted at most this
# often (seconds).
SEARCH_COVERED_COUNCILS_SECONDS = 300
# Backend, as the import path of its class (search/backends/__init__.py); other keys are its
# options. SEARCH_BACKEND=embedded (the database, default) or SEARCH_BACKEND=engine
# (Elasticsearch 8/9 or OpenSearch 2/3, falling back to the database, with a warning in the
# log, whenever the engine cannot answer), or the import path of another backend class.
_search_backend_paths = {
    "embedded": "search.backends.embedded.EmbeddedBackend",
    "engine": "search.backends.engine.EngineBackend",
}
_search_backend = os.environ.get("SEARCH_BACKEND", "embedded")
SEARCH_BACKENDS = {
    "default": {"BACKEND": _search_backend_paths.get(_search_backend, _search_backend)},
}
if _search_backend == "engine":
    SEARCH_BACKENDS["default"]["FALLBACK"] = _search_backend_paths["embedded"]
# Where the engine is (for the engine backend and for rebuilding its index).
SEARCH_ENGINE = {
    "KIND": os.environ.get("SEARCH_ENGINE_KIND", "opensearch"),  # or "elasticsearch"
    "URL": os.environ.get("SEARCH_ENGINE_URL", ""),
    "TIMEOUT": 2,  # seconds for any one call (indexing)
    # A family's search waits at most this long for the engine in all, then is answered from
    # the database; after a failure or a slow answer, searches leave the engine alone for
    # RETRY_AFTER seconds (search/backends/engine_budget.py).
    "BUDGET": env_float("SEARCH_ENGINE_BUDGET", 1.0),
    "RETRY_AFTER": env_float("SEARCH_ENGINE_RETRY_AFTER", 30),
    "OPTIONS": {},  # extra client arguments, e.g. basic_auth, verify_certs
}
# Optional online geocoding of place names (Nominatim), off by default: postcodes work offline.
SEARCH_ONLINE_GEOCODER = env_bool("SEARCH_ONLINE_GEOCODER", False)
SEARCH_GEOCODER_USER_AGENT = os.environ.get(
    "SEARCH_GEOCODER_USER_AGENT", "short-breaks-finder (set SEARCH_GEOCODER_USER_AGENT)"
)
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "sbf-")
SEARCH_ENGINE_MAX_CANDIDATES = 10_000
SEARCH_FACET_SIZE = 500
# Until the ONS Rural-Urban Classification is imported: fewer postcodes than this within a
# mile (a square box) of a place makes it rural (see search/places.py).
SEARCH_RURAL_DENSITY_THRESHOLD = env_int("SEARCH_RURAL_DENSITY_THRESHOLD", 300)

# Brokerage (brokerage app): the council's funding rules, offer expiry, service levels,
# reviews and how long a family's data is kept (docs/workflows/brokerage.md).
# Service types (slugs) a direct payment may not buy, and whether it may buy the council's own
# in-house services (in England it may not).
BROKERAGE_DIRECT_PAYMENT_EXCLUDES = ["overnight-short-breaks"]
BROKERAGE_DIRECT_PAYMENT_EXCLUDES_COUNCIL_SERVICES = True
BROKERAGE_OFFER_EXPIRY_DAYS = env_int("BROKERAGE_OFFER_EXPIRY_DAYS", 5)
BROKERAGE_FIRST_CONTACT_WORKING_DAYS = env_int("BROKERAGE_FIRST_CONTACT_WORKING_DAYS", 5)
# Working days skip weekends and England's bank holidays; a council adds its own closure days
# (ISO dates, comma-separated in the environment: "2026-12-24,2026-12-31").
BROKERAGE_EXTRA_CLOSED_DAYS = [
    day.strip()
    for day in os.environ.get("BROKERAGE_EXTRA_CLOSED_DAYS", "").split(",")
    if day.strip()
]
BROKERAGE_REVIEW_MONTHS = env_int("BROKERAGE_REVIEW_MONTHS", 6)
BROKERAGE_REVIEW_REMINDER_DAYS = 14  # before the review date
BROKERAGE_DEFAULT_TRAVEL_MILES = 10  # when a family does not say how far they can travel
BROKERAGE_NEAR_MISS_EXTRA_MILES = 5  # listings this much too far still show as near misses
BROKERAGE_CODE_OF_CONDUCT_VERSION = "2026-1"
BROKERAGE_RETENTION = {
    "draft_days": env_int("BROKERAGE_DRAFT_RETENTION_DAYS", 90),  # unsent drafts
    "closed_months": env_int("BROKERAGE_CLOSED_RETENTION_MONTHS", 24),  # after closing
    # a family's saved answers ("tell it once"), after their last request or change
    "profile_months": env_int("BROKERAGE_PROFILE_RETENTION_MONTHS", 24),
    # a provider's record of a confirmed agreement whose family has gone, after its start
    "kept_agreement_years": env_int("BROKERAGE_KEPT_AGREEMENT_RETENTION_YEARS", 6),
}

# Security headers that hold in every environment.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Content Security Policy for the public site (the Wagtail admin needs inline styles).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: https://*.tile.openstreetmap.org; "
    "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact": {"()": "core.logging.RedactPersonalDataFilter"},
        "request_id": {"()": "ops.logging.RequestIdFilter"},
    },
    # LOG_FORMAT=json: one JSON object a line, with the request id; either way the whole
    # formatted record, traceback included, is redacted (ops/logging.py).
    "formatters": {
        "redacted": {
            "()": "ops.logging.RedactingFormatter",
            "json": os.environ.get("LOG_FORMAT", "text").lower() == "json",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact", "request_id"],
            "formatter": "redacted",
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
