"""Kitemark reminders: renewals, expiries, upcoming visits, overdue reviews and re-audits, each
sent once through the product's one messenger, however often the command runs."""

import datetime

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from core.dates import add_months, today
from core.models import Notification, SentReminder
from kitemark.choices import AuditStatus as S
from kitemark.models import Audit
from tests.factories.kitemark import audit_to

pytestmark = pytest.mark.django_db


def run(capsys=None):
    call_command("send_kitemark_reminders")


def subjects(mailoutbox):
    return [m.subject for m in mailoutbox]


def test_renewal_is_due_three_months_before_expiry_and_told_once(
    coordinator, provider_a, listing, auditors, mailoutbox, django_capture_on_commit_callbacks
):
    audit = audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    mailoutbox.clear()
    with freeze_time(add_months(audit.expires_on, -3)):
        with django_capture_on_commit_callbacks(execute=True):
            run()
            run()
    renewal = [m for m in mailoutbox if m.subject.startswith("Kitemark renewal due")]
    assert {a for m in renewal for a in m.to} == {
        "provider-a@example.org",
        "coordinator@example.org",
    }
    assert len(renewal) == 2  # one to the provider, one to the coordinator, once
    audit.refresh_from_db()
    assert audit.status == S.RENEWAL_DUE


def test_an_expired_award_is_told_once_and_the_badge_goes(
    coordinator, provider_a, listing, auditors, mailoutbox, django_capture_on_commit_callbacks
):
    audit = audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    with freeze_time(audit.expires_on + datetime.timedelta(days=1)):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            run()
            run()
        assert sum(s.startswith("Kitemark expired") for s in subjects(mailoutbox)) == 2
        audit.refresh_from_db()
        assert audit.status == S.EXPIRED
        assert not listing.status.__class__.objects.get(listing_id=listing.pk).kitemarked()


def test_auditors_are_reminded_of_an_upcoming_visit_once(
    coordinator, listing, auditors, mailoutbox, django_capture_on_commit_callbacks
):
    audit_to(
        S.SCHEDULED,
        listing=listing,
        coordinator=coordinator,
        auditors=auditors,
        visit_date=today() + datetime.timedelta(days=2),
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run()
        run()
    soon = [m for m in mailoutbox if m.subject.startswith("Your kitemark visit is soon")]
    assert sorted(a for m in soon for a in m.to) == ["kai@example.org", "ruby@example.org"]


def test_a_visit_far_off_gets_no_reminder_yet(coordinator, listing, auditors, mailoutbox):
    audit_to(
        S.SCHEDULED,
        listing=listing,
        coordinator=coordinator,
        auditors=auditors,
        visit_date=today() + datetime.timedelta(days=20),
    )
    run()
    assert not SentReminder.objects.filter(kind="kitemark_visit_soon").exists()


def test_an_overdue_review_reminds_the_auditor_and_the_coordinator_once(
    coordinator, listing, auditors, ruby, mailoutbox, django_capture_on_commit_callbacks
):
    audit = audit_to(S.IN_PROGRESS, listing=listing, coordinator=coordinator, auditors=auditors)
    with freeze_time(audit.visit_date + datetime.timedelta(days=8)):
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            run()
            run()
    overdue = [m for m in mailoutbox if "review" in m.subject.lower()]
    recipients = sorted(a for m in overdue for a in m.to)
    assert recipients.count("ruby@example.org") == 1
    assert recipients.count("coordinator@example.org") == 2  # one per auditor's review
    assert (
        Notification.objects.filter(recipient=ruby.user, kind="kitemark_review_overdue").count()
        == 1
    )


def test_a_reaudit_that_has_come_due_is_told_once(
    coordinator, provider_a, listing, auditors, mailoutbox, django_capture_on_commit_callbacks
):
    audit = audit_to(S.NOT_YET, listing=listing, coordinator=coordinator, auditors=auditors)
    Audit.objects.filter(pk=audit.pk).update(reaudit_due_on=today())
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run()
        run()
    due = [m for m in mailoutbox if m.subject.startswith("Kitemark re-audit due")]
    assert sorted(a for m in due for a in m.to) == [
        "coordinator@example.org",
        "provider-a@example.org",
    ]


def test_the_command_says_what_it_did(capsys, db):
    call_command("send_kitemark_reminders")
    assert "Kitemark: renewal due: 0, expired: 0" in capsys.readouterr().out
