"""Liveness and readiness probes. Both answer JSON that says nothing about anyone.

- `/healthz`: the process is up and answering (no database touched), for restarts.
- `/readyz`: this instance can serve families: the database answers (else 503, so the load
  balancer sends people elsewhere). It also reports, without failing, the age of the oldest task
  waiting for the worker (emails wait when the worker is down: an alert, not a reason to stop
  serving pages) and whether the search engine answers when one is configured (search falls
  back to the database, so a slow or absent engine degrades rather than stops the site).
"""

import datetime
import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from search.backends import backend_class
from search.engine_client import get_client

# A task waiting longer than this means the worker is down or far behind.
TASK_QUEUE_MAX_AGE_SECONDS = 300


def no_store(response: JsonResponse) -> JsonResponse:
    response.headers["Cache-Control"] = "no-store"
    return response


def liveness(request) -> JsonResponse:
    return no_store(JsonResponse({"status": "ok"}))


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means "not ready"; the class name is enough
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        return {"status": "fail", "error": error.__class__.__name__}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000, 1)}


def check_task_queue() -> dict:
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if backend != "django_tasks_db.DatabaseBackend":
        return {"status": "ok", "backend": backend.rsplit(".", 1)[-1]}

    try:
        waiting = DBTaskResult.objects.ready()
        count = waiting.count()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except Exception as error:
        return {"status": "fail", "error": error.__class__.__name__}
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    limit = getattr(settings, "TASK_QUEUE_MAX_AGE_SECONDS", TASK_QUEUE_MAX_AGE_SECONDS)
    return {
        "status": "ok" if age <= limit else "warn",
        "waiting": count,
        "oldest_seconds": round(max(age, 0.0), 1),
    }


def check_search_engine() -> dict | None:
    if not getattr(backend_class(), "keeps_index", False):
        return None  # the database answers searches: there is no engine to ask
    started = time.monotonic()
    try:
        answered = get_client().raw.ping()
    except Exception as error:
        return {"status": "warn", "error": error.__class__.__name__}
    ms = round((time.monotonic() - started) * 1000, 1)
    return {"status": "ok" if answered else "warn", "ms": ms}


def readiness(request) -> JsonResponse:
    checks = {"database": check_database()}
    if checks["database"]["status"] == "ok":
        checks["task_queue"] = check_task_queue()
    engine = check_search_engine()
    if engine is not None:
        checks["search_engine"] = engine
    if checks["database"]["status"] != "ok":
        status, code = "fail", 503
    elif any(check["status"] != "ok" for check in checks.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    body = {
        "status": status,
        "time": timezone.now().astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "checks": checks,
    }
    return no_store(JsonResponse(body, status=code))
