"""Emails waiting for the worker hold no secrets: the task table keeps only an id, links that
are credentials (password resets, confirmations) are made when the email is sent, what was
sent is wiped, and the daily jobs delete finished tasks and old records (core/outbox.py)."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from core.models import OutgoingEmail
from core.outbox import prune
from core.tasks import deliver_email
from directory.choices import OrganisationKind
from tests.helpers import make_user, run_task_worker

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def stored_text() -> str:
    """Everything the task table and the outgoing emails hold, as one string."""
    tasks = list(DBTaskResult.objects.values("args_kwargs", "return_value", "traceback"))
    emails = list(OutgoingEmail.objects.values())
    return json.dumps([tasks, emails], default=str)


def run_worker():
    run_task_worker()


@pytest.fixture
def database_tasks(settings, django_capture_on_commit_callbacks):
    """Tasks queued in the database, as in production, and the emails' on-commit hooks run.

    Through pytest-django's `settings`, never a separate `override_settings`: a test that also
    changes `settings` would otherwise undo the two in the wrong order and leave every later
    test in the process with this test's settings."""
    settings.TASKS = DATABASE_TASKS
    return django_capture_on_commit_callbacks


def test_a_password_reset_waiting_for_the_worker_stores_no_link_no_text_and_no_name(
    client, database_tasks, mailoutbox
):
    make_user("aisha", email="aisha@example.org", first_name="Aisha")
    with database_tasks(execute=True):
        client.post(reverse("account:reset"), {"email": "aisha@example.org"})
    assert DBTaskResult.objects.count() == 1
    assert DBTaskResult.objects.get().args_kwargs == {
        "args": [OutgoingEmail.objects.get().pk],
        "kwargs": {},
    }
    waiting = stored_text()
    for secret in ("/account/reset/", "http", "Aisha", "choose a new password", "Hello"):
        assert secret not in waiting
    assert not mailoutbox

    run_worker()

    [email] = mailoutbox
    assert email.to == ["aisha@example.org"]
    assert email.body.startswith("Hello Aisha,")
    link = re.search(r"http://testserver(/account/reset/\S+)", email.body).group(1)
    sent = stored_text()
    for secret in ("/account/reset/", link.split("/")[-2], "Aisha", "aisha@example.org"):
        assert secret not in sent
    assert client.get(link, follow=True).status_code == 200
    assert b"Choose a new password" in client.get(link, follow=True).content


def test_the_account_confirmation_link_is_made_when_sent_and_works(
    client, database_tasks, mailoutbox
):
    with database_tasks(execute=True):
        client.post(
            reverse("account:create"),
            {
                "first_name": "Visit cheap-pills.example",
                "email": "new@example.org",
                "who": "parent",
                "password": "correct horse battery staple",
                "privacy": "on",
            },
        )
    assert "/account/confirm/" not in stored_text()
    run_worker()
    [email] = mailoutbox
    assert "cheap-pills" not in email.subject + email.body
    link = re.search(r"http://testserver(/account/confirm/\S+)", email.body).group(1)
    response = client.post(link)
    assert response.status_code == 302
    assert "cheap-pills" not in stored_text()


def test_a_queued_email_goes_once_even_if_its_task_runs_twice(database_tasks, mailoutbox, client):
    make_user("aisha", email="aisha@example.org")
    with database_tasks(execute=True):
        client.post(reverse("account:reset"), {"email": "aisha@example.org"})
    outgoing = OutgoingEmail.objects.get()
    assert deliver_email.call(outgoing.pk) == 1
    assert deliver_email.call(outgoing.pk) == 0
    assert len(mailoutbox) == 1
    outgoing.refresh_from_db()
    assert outgoing.sent_count == 1
    assert (outgoing.addresses, outgoing.context) == ([], {})


def test_an_email_about_something_deleted_before_it_went_is_not_sent(
    database_tasks, mailoutbox, client
):
    person = make_user("aisha", email="aisha@example.org")
    with database_tasks(execute=True):
        client.post(reverse("account:reset"), {"email": "aisha@example.org"})
    person.delete()  # erased before the worker ran
    run_worker()
    assert not mailoutbox
    assert OutgoingEmail.objects.get().sent_at is not None


def test_an_email_queued_before_the_upgrade_still_goes(mailoutbox):
    deliver_email.call(
        kind="account_exists", subject="Old", body="Queued before", addresses=["a@example.org"]
    )
    assert [(m.subject, m.to) for m in mailoutbox] == [("Old", ["a@example.org"])]


def test_the_daily_jobs_delete_finished_tasks_and_email_records_after_the_retention_days(
    settings, database_tasks, client
):
    settings.EMAIL_RETENTION_DAYS = 7
    make_user("aisha", email="aisha@example.org")
    with freeze_time("2026-12-01 09:00"):
        with database_tasks(execute=True):
            client.post(reverse("account:reset"), {"email": "aisha@example.org"})
        run_worker()
    with freeze_time("2026-12-07 09:00"):
        with database_tasks(execute=True):
            client.post(reverse("account:reset"), {"email": "aisha@example.org"})
    assert DBTaskResult.objects.count() == 2

    with freeze_time("2026-12-08 08:59"):
        assert prune() == {"tasks": 0, "emails": 0}
    with freeze_time("2026-12-08 09:01"):
        call_command("prune_sent_email", verbosity=0)
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["READY"]
    assert OutgoingEmail.objects.count() == 1  # the one still waiting, a day old


def test_an_email_that_never_went_is_deleted_after_the_retention_days_too(settings):
    settings.EMAIL_RETENTION_DAYS = 7
    OutgoingEmail.objects.create(kind="password_reset", addresses=["a@example.org"])
    assert prune(now=timezone.now() + datetime.timedelta(days=8)) == {"tasks": 0, "emails": 1}


@pytest.fixture
def captured(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


APPLICATION = {
    "organisation_name": "Win a prize at cheap-pills.example",
    "kind": OrganisationKind.CHARITY,
    "contact_name": "Call 0800 000 000 now",
    "email": "stranger@example.org",
    "postcode": "NE46 3NR",
    "what_you_offer": "Free money at cheap-pills.example",
}


def test_the_application_confirmation_says_nothing_the_applicant_typed(
    client, directory, captured, mailoutbox
):
    with captured(execute=True):
        client.post(reverse("directory:apply"), APPLICATION)
    [email] = mailoutbox
    text = email.subject + email.body
    for typed in ("cheap-pills", "0800", "Win a prize"):
        assert typed not in text
    assert "/providers/apply/confirm/" in email.body


def test_a_problem_report_sends_nothing_to_the_reply_address(
    client, directory, captured, mailoutbox, settings
):
    from tests.factories.directory import InclusiveClubPageFactory

    listing = InclusiveClubPageFactory()
    with captured(execute=True):
        client.post(
            reverse("directory:report_problem", args=[listing.pk]),
            {
                "safety": "no",
                "reason": "other",
                "details": "Visit cheap-pills.example",
                "reply_email": "x@y.org",
            },
        )
    assert settings.COUNCIL_EMAIL in {m.to[0] for m in mailoutbox}
    assert not [m for m in mailoutbox if "x@y.org" in m.to]


def test_an_unconfirmed_accounts_name_never_reaches_the_address(client, captured, mailoutbox):
    form = {
        "first_name": "Visit cheap-pills.example",
        "email": "victim@example.org",
        "who": "parent",
        "password": "correct horse battery staple",
        "privacy": "on",
    }
    with captured(execute=True):
        client.post(reverse("account:create"), form)
        client.post(reverse("account:create"), {**form, "first_name": "Again"})
    assert len(mailoutbox) == 2
    for email in mailoutbox:
        assert "cheap-pills" not in email.subject + email.body
    assert mailoutbox[1].body.startswith("Hello,")
