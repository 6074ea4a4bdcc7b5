"""What outsiders told the directory is not kept for ever: provider applications and the reply
address left with a report (docs/privacy.md), applied by the one daily job."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from directory import privacy
from directory.choices import ApplicationStatus, OrganisationKind, ReportReason
from directory.models import ListingReport, ProviderApplication
from tests.factories.directory import ShortBreakServicePageFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=800)


def application(status, *, days_old: int, name="Priya Shah"):
    made = ProviderApplication.objects.create(
        organisation_name="Tyne Valley Play",
        kind=OrganisationKind.CHARITY,
        contact_name=name,
        email="priya@example.org",
        phone="07700 900123",
        postcode="NE46 1AA",
        what_you_offer="Saturday club",
        status=status,
    )
    when = timezone.now() - datetime.timedelta(days=days_old)
    ProviderApplication.objects.filter(pk=made.pk).update(created_at=when, decided_at=when)
    return made


def test_applications_never_confirmed_or_declined_long_ago_go_and_admitted_ones_lose_the_contact():
    application(ApplicationStatus.AWAITING_EMAIL, days_old=31, name="Never confirmed")
    fresh = application(ApplicationStatus.AWAITING_EMAIL, days_old=2, name="Just applied")
    application(ApplicationStatus.DECLINED, days_old=400, name="Declined")
    waiting = application(ApplicationStatus.CONFIRMED, days_old=400, name="Waiting")
    admitted = application(ApplicationStatus.ADMITTED, days_old=400, name="Admitted")
    counts = privacy.retention_enforce()
    assert counts["applications_unconfirmed_deleted"] == 1
    assert counts["applications_declined_deleted"] == 1
    assert set(ProviderApplication.objects.values_list("pk", flat=True)) == {
        fresh.pk,
        waiting.pk,
        admitted.pk,
    }
    admitted.refresh_from_db()
    assert (admitted.contact_name, admitted.email, admitted.phone) == ("", "", "")
    assert admitted.organisation_name == "Tyne Valley Play"
    waiting.refresh_from_db()
    assert waiting.email == "priya@example.org"  # the council has not decided yet


def test_a_reports_reply_address_goes_after_it_is_resolved_and_the_report_later(directory):
    listing = ShortBreakServicePageFactory()

    def report(reason, resolved_days_ago):
        made = ListingReport.objects.create(
            listing=listing, reason=reason, details="The phone number is wrong", reply_email="a@b.c"
        )
        if resolved_days_ago is not None:
            ListingReport.objects.filter(pk=made.pk).update(
                resolved_at=timezone.now() - datetime.timedelta(days=resolved_days_ago)
            )
        return made

    open_report = report(ReportReason.WRONG_DETAILS, None)
    recent = report(ReportReason.WRONG_DETAILS, 10)
    resolved = report(ReportReason.WRONG_DETAILS, 100)
    report(ReportReason.WRONG_DETAILS, 800)
    safeguarding = report(ReportReason.SAFEGUARDING, 800)
    counts = privacy.retention_enforce()
    assert counts["reports_deleted"] == 1
    emails = dict(ListingReport.objects.values_list("pk", "reply_email"))
    assert emails == {
        open_report.pk: "a@b.c",
        recent.pk: "a@b.c",
        resolved.pk: "",
        safeguarding.pk: "",
    }


def test_the_daily_job_applies_every_apps_retention_and_records_counts_only():
    application(ApplicationStatus.AWAITING_EMAIL, days_old=31, name="Never confirmed")
    call_command("apply_retention", stdout=open("/dev/null", "w"))
    call_command("apply_retention", stdout=open("/dev/null", "w"))  # twice: nothing more
    [event] = AuditEvent.objects.filter(action="retention_applied")
    assert "applications unconfirmed deleted 1" in event.summary
    assert "Never confirmed" not in event.summary and "priya" not in event.summary
