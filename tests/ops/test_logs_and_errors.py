"""Logs and error reports never hold a family's personal data, and each line can be tied to
the request it came from."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ops.logging import RedactingFormatter, RequestIdFilter, redact_url, request_id_var
from ops.sentry import scrub

ROOT = Path(__file__).resolve().parents[2]


def record(message, *args, exc_info=None):
    entry = logging.LogRecord("brokerage", logging.ERROR, __file__, 1, message, args, exc_info)
    RequestIdFilter().filter(entry)
    return entry


def test_search_query_strings_are_dropped_whole_and_other_urls_redacted():
    assert redact_url("/search/?postcode=NE46+3NR&age=7&needs=autism") == "/search/?[redacted]"
    assert redact_url("https://x.org/search/?q=respite") == "https://x.org/search/?[redacted]"
    assert redact_url("/account/reset/?token=abc123&email=leila@example.org") == (
        "/account/reset/?token=[redacted]&email=[email]"
    )
    assert redact_url("/directory/") == "/directory/"


def test_json_log_lines_carry_the_request_id_and_a_redacted_message_and_traceback():
    formatter = RedactingFormatter(json=True)
    token = request_id_var.set("abc123def456")
    try:
        try:
            raise ValueError("no match for leila@example.org at NE46 3NR")
        except ValueError:
            entry = record("Request from %s failed", "leila@example.org", exc_info=sys.exc_info())
    finally:
        request_id_var.reset(token)
    line = formatter.format(entry)
    data = json.loads(line)
    assert data["request_id"] == "abc123def456"
    assert data["level"] == "ERROR"
    assert data["message"] == "Request from [email] failed"
    assert "ValueError: no match for [email] at [postcode]" in data["exception"]
    assert "leila" not in line and "NE46" not in line


def test_text_logs_redact_tracebacks_too():
    try:
        raise RuntimeError("DBS certificate 001234567890 rejected")
    except RuntimeError:
        entry = record("Check failed", exc_info=sys.exc_info())
    text = RedactingFormatter().format(entry)
    assert "001234567890" not in text
    assert "[certificate-number]" in text


def test_sentry_events_are_scrubbed_before_they_leave():
    event = {
        "message": "Could not send to leila@example.org",
        "request": {
            "url": "https://shortbreaks.example.org/search/",
            "query_string": "postcode=NE46+3NR&age=7",
            "data": {"child_first_name": "Amir"},
            "cookies": {"sessionid": "s3cret"},
            "headers": {"Referer": "https://x/search/?postcode=NE463NR", "User-Agent": "UA"},
        },
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": "bad postcode NE46 3NR",
                    "stacktrace": {"frames": [{"vars": {"email": "'leila@example.org'"}}]},
                }
            ]
        },
        "breadcrumbs": {"values": [{"message": "SELECT ... WHERE email = 'a@b.org'"}]},
    }
    cleaned = json.dumps(scrub(event, {}))
    for secret in ("leila", "NE46", "Amir", "s3cret", "a@b.org"):
        assert secret not in cleaned, secret
    assert scrub(event, {})["request"]["query_string"] == "[redacted]"


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SENTRY_DSN", "LOG_FORMAT", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="shortbreaks.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/sb_prod_unused",
        SECRET_KEY="k" * 10 + "a-long-random-value-used-only-by-this-test-0123456789",
    )
    env.update(extra)
    return env


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "key",
    [
        "x",
        "x" * 49,
        "abcd" * 20,  # long, but only 4 different characters
        "django-insecure-" + "q8v!z2kx#p0w9m3n7b5c1t6y4r8e2u0i9o3l7j5h1g6f4d8s2a0",
    ],
    ids=["one-character", "49-characters", "4-different-characters", "django-insecure"],
)
def test_production_refuses_a_secret_key_that_could_be_guessed(key):
    result = run_python("import config.settings.production", production_env(SECRET_KEY=key))
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_production_starts_with_a_long_random_secret_key():
    key = "Zq8v!z2kx#p0w9m3n7b5c1t6y4r8e2u0i9o3l7j5h1g6f4d8s2a0"
    result = run_python("import config.settings.production", production_env(SECRET_KEY=key))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_production_reports_to_sentry_only_with_a_dsn_and_never_sends_personal_data(log_format):
    code = (
        "import django; django.setup(); import sentry_sdk; "
        "client = sentry_sdk.get_client(); "
        "print(client.is_active(), client.options['send_default_pii'], "
        "client.options['before_send'].__name__)"
    )
    with_dsn = run_python(
        code, production_env(SENTRY_DSN="https://public@127.0.0.1:9/1", LOG_FORMAT=log_format)
    )
    assert with_dsn.returncode == 0, with_dsn.stderr
    assert with_dsn.stdout.split() == ["True", "False", "scrub"]
    without = run_python(
        "import django; django.setup(); import sentry_sdk; "
        "print(sentry_sdk.get_client().is_active())",
        production_env(),
    )
    assert without.stdout.strip() == "False"
