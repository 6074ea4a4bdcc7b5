"""Gunicorn with the production settings, for real: it starts from config/gunicorn.conf.py,
answers the probes, shows the 503 page when the database cannot answer, and its access log is
JSON lines that never hold a search's query string."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .test_logs_and_errors import production_env

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def server(tmp_path):
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed (pip install -r requirements.txt)")
    port = free_port()
    log = tmp_path / "server.log"
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="off",
        LOG_FORMAT="json",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
    )
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(GUNICORN), "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if get(base + "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start:\n" + log.read_text())
        yield base, log
    finally:
        process.terminate()
        process.wait(30)


def test_gunicorn_serves_the_probes_and_a_503_page_and_logs_safely(server):
    base, log = server
    status, headers, body = get(base + "/readyz")
    assert status == 200
    assert json.loads(body)["checks"]["database"]["status"] == "ok"
    # This database has no tables yet: the search cannot answer, and the family is told so.
    status, headers, body = get(
        base + "/search/?postcode=NE46+3NR&age=7", {"Referer": base + "/search/?postcode=NE463NR"}
    )
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert b"Sorry, the service is unavailable" in body
    request_id = headers["X-Request-ID"]
    time.sleep(0.5)
    text = log.read_text()
    assert "NE46" not in text and "NE463NR" not in text
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    access = [entry for entry in lines if entry["logger"] == "gunicorn.access"]
    search = next(entry for entry in access if entry["path"] == "/search/")
    assert search == search | {"request_id": request_id, "query": "[redacted]", "status": 503}
    errors = [entry for entry in lines if entry["request_id"] == request_id and entry is not search]
    assert any(entry["logger"] == "ops.database" for entry in errors), errors
