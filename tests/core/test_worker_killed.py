"""The task worker killed in the middle of sending an email (a deployment, an out-of-memory
kill, the machine restarting): the task runs again when the worker starts, and nobody gets
the same email twice. Each message has an idempotency key (its Message-ID) that stays the
same on every attempt (core/outbox.py, core/worker.py)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import outbox
from core.models import OutgoingEmail
from core.tasks import deliver_email
from core.worker import requeue_abandoned
from tests.helpers import run_task_worker

pytestmark = pytest.mark.django_db

WORKER = "web-1-worker"
FAMILIES = ["amira@example.org", "ben@example.org", "chen@example.org"]


class Killed(BaseException):
    """The worker process ending at once: nothing after it runs, not even `except Exception`."""


@pytest.fixture
def queued(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    email = outbox.store(
        kind="account_exists", addresses=FAMILIES, context={}, url="/sign-in/", link=None
    )
    deliver_email.enqueue(email.pk)
    return email


def start_then_kill(email, monkeypatch, *, after: int, during_send: bool = False):
    """What `manage.py db_worker` does with the task, up to the worker being killed once
    `after` messages have gone (or, `during_send`, while the next one is being sent: the mail
    server took it, the worker died before noting it)."""
    task = DBTaskResult.objects.ready().get()
    task.claim(WORKER)
    sent = {"count": 0}
    real_send = mail.EmailMessage.send

    def send(message, fail_silently=False):
        if sent["count"] == after:
            if during_send:
                real_send(message, fail_silently)
            raise Killed
        sent["count"] += 1
        return real_send(message, fail_silently)

    with monkeypatch.context() as patch:
        patch.setattr(mail.EmailMessage, "send", send)
        with pytest.raises(Killed):
            deliver_email.call(email.pk)
    assert DBTaskResult.objects.get().status == "RUNNING"  # left as the dead worker left it


def test_a_task_left_running_by_a_killed_worker_runs_again_and_sends_to_the_others_only(
    queued, mailoutbox, monkeypatch
):
    start_then_kill(queued, monkeypatch, after=1)
    assert [m.to for m in mailoutbox] == [[FAMILIES[0]]]

    call_command("requeue_abandoned_tasks", worker_id=WORKER, stdout=open("/dev/null", "w"))  # noqa: SIM115
    run_task_worker()

    assert sorted(m.to[0] for m in mailoutbox) == FAMILIES  # each family once
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.sent_count == 3
    assert queued.addresses == []


def test_a_message_sent_again_after_a_kill_during_its_send_has_the_same_idempotency_key(
    queued, mailoutbox, monkeypatch
):
    start_then_kill(queued, monkeypatch, after=1, during_send=True)
    first_try = mailoutbox[1]
    requeue_abandoned(worker_id=WORKER)
    run_task_worker()
    again = [m for m in mailoutbox if m.to == first_try.to]
    assert len(again) == 2  # the mail server may have it: the same message, recognisably
    assert again[0].extra_headers["Message-ID"] == again[1].extra_headers["Message-ID"]
    assert [m.to[0] for m in mailoutbox].count(FAMILIES[0]) == 1
    assert [m.to[0] for m in mailoutbox].count(FAMILIES[2]) == 1


def test_every_message_has_its_own_idempotency_key(queued, mailoutbox):
    run_task_worker()
    ids = [m.message()["Message-ID"] for m in mailoutbox]
    assert len(set(ids)) == 3
    assert all(i.startswith(f"<sbf.{queued.pk}.") and i.endswith("@example.org>") for i in ids)


def test_a_task_running_on_a_live_worker_is_left_alone_until_it_is_far_too_old(queued):
    DBTaskResult.objects.ready().get().claim("web-2-worker")
    assert requeue_abandoned(worker_id=WORKER) == 0
    assert DBTaskResult.objects.get().status == "RUNNING"
    later = timezone.now() + datetime.timedelta(minutes=31)
    assert requeue_abandoned(worker_id=WORKER, now=later) == 1
    assert DBTaskResult.objects.get().status == "READY"


def test_a_finished_email_is_not_sent_again_when_its_task_is_requeued(queued, mailoutbox):
    run_task_worker()
    DBTaskResult.objects.update(status="RUNNING", worker_ids=[WORKER])
    requeue_abandoned(worker_id=WORKER)
    run_task_worker()
    assert len(mailoutbox) == 3
    assert OutgoingEmail.objects.get().sent_count == 3
