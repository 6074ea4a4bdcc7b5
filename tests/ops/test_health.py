"""The health probes a load balancer and an on-call person rely on."""

import datetime

import pytest
from django.db.utils import OperationalError
from django.test import override_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_liveness_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readiness_reports_the_database_and_an_empty_task_queue(client):
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["task_queue"] == {"status": "ok", "waiting": 0, "oldest_seconds": 0.0}
    assert "search_engine" not in body["checks"]


def test_readiness_warns_when_a_task_has_waited_too_long_but_still_serves(client):
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        DBTaskResult.objects.create(
            task_path="core.tasks.deliver_email",
            args_kwargs={"args": [], "kwargs": {}},
            queue_name="default",
            backend_name="default",
            priority=0,
            run_after=timezone.now() - datetime.timedelta(hours=1),
        )
        DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=20))
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["task_queue"]["status"] == "warn"
    assert body["checks"]["task_queue"]["waiting"] == 1
    assert body["checks"]["task_queue"]["oldest_seconds"] >= 1200


def test_readiness_fails_with_503_when_the_database_does_not_answer(client, monkeypatch):
    from ops import health

    class Broken:
        def __enter__(self):
            raise OperationalError("connection refused to db.internal user=family@example.org")

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: Broken())
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {"status": "fail", "error": "OperationalError"}
    assert b"example.org" not in response.content


@override_settings(
    SEARCH_BACKENDS={
        "default": {
            "BACKEND": "search.backends.engine.EngineBackend",
            "FALLBACK": "search.backends.embedded.EmbeddedBackend",
        }
    }
)
def test_readiness_reports_an_unreachable_search_engine_as_degraded_not_down(client):
    with override_settings(
        SEARCH_ENGINE={"KIND": "opensearch", "URL": "http://127.0.0.1:9", "TIMEOUT": 0.5}
    ):
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["search_engine"]["status"] == "warn"


@override_settings(ALLOWED_HOSTS=["shortbreaks.example.org"], SECURE_SSL_REDIRECT=True)
def test_probes_answer_a_load_balancer_using_the_bare_ip_over_plain_http(client):
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.0.7:8000")
        assert response.status_code == 200, path
    # Everything else still refuses the unknown host.
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_every_response_carries_a_request_id_and_keeps_a_sensible_one_from_the_proxy(client):
    generated = client.get("/healthz")["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="proxy-1234abcd")["X-Request-ID"] == (
        "proxy-1234abcd"
    )
    assert client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"
