"""Tasks left behind by a worker that was killed (a deployment, an out-of-memory kill, the
machine restarting) are run again.

The database worker (`manage.py db_worker`) marks a task RUNNING when it takes it and
finished when it is done; a worker killed in between leaves it RUNNING for ever, and nothing
runs it again. `requeue_abandoned` puts such tasks back in the queue: those of a worker that
is starting again under the same id (`ops/serve-production.sh` gives its worker a fixed id,
so every task still marked as its own was abandoned), and any task RUNNING for longer than
`TASKS_ABANDONED_AFTER_MINUTES`, far longer than any of ours takes. Running a task again is
safe: each is written to be (an email goes once to each address: `core.outbox.deliver`)."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

DEFAULT_ABANDONED_AFTER_MINUTES = 30


def requeue_abandoned(*, worker_id: str = "", now: datetime.datetime | None = None) -> int:
    """Put back in the queue the tasks of the (dead) worker `worker_id` and those running too
    long; returns how many."""
    minutes = getattr(settings, "TASKS_ABANDONED_AFTER_MINUTES", DEFAULT_ABANDONED_AFTER_MINUTES)
    cutoff = (now or timezone.now()) - datetime.timedelta(minutes=minutes)
    running = DBTaskResult.objects.running()
    abandoned = [
        task.pk
        for task in running.only("pk", "worker_ids", "started_at")
        if (worker_id and task.worker_ids and task.worker_ids[-1] == worker_id)
        or (task.started_at is not None and task.started_at < cutoff)
    ]
    if not abandoned:
        return 0
    count = running.filter(pk__in=abandoned).update(status=TaskResultStatus.READY, started_at=None)
    logger.warning("Requeued %d task(s) left running by a worker that stopped", count)
    return count
