"""A family's emails never rest with their child's name: the task table keeps only an id,
the email is written when sent, and it says "your child", never the name (core/outbox.py)."""

import json

import pytest
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from brokerage import services
from core.models import OutgoingEmail
from tests.helpers import run_task_worker

pytestmark = pytest.mark.django_db


def stored_text() -> str:
    tasks = list(DBTaskResult.objects.values("args_kwargs", "return_value", "traceback"))
    return json.dumps([tasks, list(OutgoingEmail.objects.values())], default=str)


def test_a_brokerage_email_waiting_for_the_worker_holds_no_name_no_text_and_no_link(
    submitted, broker_ready, family, django_capture_on_commit_callbacks, mailoutbox
):
    assert submitted.child_first_name == "Amir"
    OutgoingEmail.objects.all().delete()  # the fixture's "we have your request", never queued
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            services.request_assign(user=broker_ready, request=submitted)
        for secret in ("Amir", "Leila", "http"):
            assert secret not in stored_text()
        task_table = json.dumps(list(DBTaskResult.objects.values("args_kwargs")))
        assert "A broker is now looking" not in task_table
        assert family.email not in task_table  # only the outgoing email knows, until sent
        assert DBTaskResult.objects.exists()
        run_task_worker()

    [email] = [m for m in mailoutbox if m.to == [family.email]]
    assert "A broker is now looking for support for your child." in email.body
    assert "Amir" not in email.subject + email.body
    assert reverse("brokerage:detail", args=[submitted.pk]) in email.body
    assert "Amir" not in stored_text()
    assert family.email not in stored_text()
