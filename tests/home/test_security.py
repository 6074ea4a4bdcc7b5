"""Production refuses to start half-configured; every public page is sent with security
headers and relies on no inline script."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-value-only-for-this-test-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "shortbreaks.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
}
# Where safeguarding concerns go: the deploy check refuses the example addresses.
SAFEGUARDING_ENV = {
    "SAFEGUARDING_EMAIL": "childrens-front-door@council.gov.uk",
    "LADO_EMAIL": "lado@council.gov.uk",
}


def run_manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in {**PRODUCTION_ENV, **SAFEGUARDING_ENV}}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without_its_required_settings(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    env = {**PRODUCTION_ENV, **SAFEGUARDING_ENV}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_checklist_fails_until_safeguarding_concerns_have_real_inboxes():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "directory.E001" in result.stdout + result.stderr


@pytest.mark.parametrize("url", ["/", "/directory/", "/accessibility/", "/providers/apply/"])
def test_public_pages_send_security_headers_and_use_no_inline_script(client, directory, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())
    assert inline == []
    assert re.search(r"\son[a-z]+=", response.content.decode()) is None  # no onclick= etc.


def test_the_home_page_tells_a_family_what_the_service_is_and_how_to_start(client, directory):
    content = client.get("/").content.decode()
    assert "short break" in content.lower()
    assert 'href="/search/"' in content
    assert 'href="/directory/"' in content
    assert "govuk-phase-banner" in content
    for link in ("/accessibility/", "/privacy/", "/cookies/"):
        assert f'href="{link}"' in content
