"""How long the directory keeps what people outside the council told it: provider applications
(a contact's name, email and phone) and the reply address left with a report about a listing.
Applied daily by `manage.py apply_retention` (`ops/retention.py`); the data map is
`docs/privacy.md`."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.dates import add_months

from .choices import ApplicationStatus, ReportReason
from .models import ListingReport, ProviderApplication


def months_ago(now: datetime.datetime, months: int) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(add_months(timezone.localdate(now), -months), datetime.time())
    )


@transaction.atomic
def retention_enforce(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Applications never confirmed, or declined, go; an admitted application keeps what was
    decided but not its contact's name, email and phone (the organisation's own details are on
    the organisation). A report's reply address goes once the report has been resolved a while,
    and a resolved report goes later, except a safeguarding one (kept with the safeguarding
    records)."""
    now = now or timezone.now()
    rules = settings.DIRECTORY_RETENTION
    unconfirmed = ProviderApplication.objects.filter(
        status=ApplicationStatus.AWAITING_EMAIL,
        created_at__lt=now - datetime.timedelta(days=rules["application_unconfirmed_days"]),
    )
    decided_cutoff = months_ago(now, rules["application_decided_months"])
    declined = ProviderApplication.objects.filter(
        status=ApplicationStatus.DECLINED, decided_at__lt=decided_cutoff
    )
    counts = {
        "applications_unconfirmed_deleted": unconfirmed.count(),
        "applications_declined_deleted": declined.count(),
    }
    unconfirmed.delete()
    declined.delete()
    counts["applications_contact_erased"] = (
        ProviderApplication.objects.filter(
            status=ApplicationStatus.ADMITTED, decided_at__lt=decided_cutoff
        )
        .exclude(contact_name="", email="", phone="")
        .update(contact_name="", email="", phone="")
    )
    counts["report_replies_erased"] = (
        ListingReport.objects.filter(
            resolved_at__lt=now - datetime.timedelta(days=rules["report_reply_days"])
        )
        .exclude(reply_email="")
        .update(reply_email="")
    )
    old_reports = ListingReport.objects.filter(
        resolved_at__lt=months_ago(now, rules["report_months"])
    ).exclude(Q(reason=ReportReason.SAFEGUARDING))
    counts["reports_deleted"] = old_reports.count()
    old_reports.delete()
    return counts
