"""Reminders (idempotent: `send_brokerage_reminders`)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.reminders import send_once
from core.roles import council_staff

from .. import notifications
from ..choices import OfferStatus, Status
from ..models import Agreement, Offer, SupportRequest
from ..notifications import Message
from .offers import offers_expire


def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {
        "offers_expired": offers_expire(now=now),
        "offers_expiring": 0,
        "first_contact_overdue": 0,
        "reviews_due": 0,
    }
    soon = now + datetime.timedelta(days=1)
    for offer in Offer.objects.filter(
        status=OfferStatus.SENT, expires_at__gt=now, expires_at__lte=soon
    ).select_related("organisation", "listing"):
        if send_once(Message.BROKERAGE_OFFER_EXPIRING.value, f"offer:{offer.pk}"):
            notifications.offer_expiring(offer)
            counts["offers_expiring"] += 1
    waiting = SupportRequest.objects.filter(
        status__in=[Status.SUBMITTED, Status.ASSIGNED, Status.OFFERS_SENT],
        first_contact_at=None,
    )
    for request in waiting:
        if not request.first_contact_overdue(now):
            continue
        if send_once(Message.BROKERAGE_SLA_OVERDUE.value, f"request:{request.pk}"):
            users = (
                [request.broker]
                if request.broker
                else notifications.brokers_for_area(request.local_authority_code)
            )
            url = notifications.broker_url(request)
            no_broker = not users
            if no_broker:
                # No broker has been granted the family's council: council staff grant one.
                users, url = list(council_staff()), reverse("brokerage_admin:brokers")
            notifications.reminder(
                Message.BROKERAGE_SLA_OVERDUE,
                users=users,
                context={
                    "reference": request.reference,
                    "submitted_at": request.submitted_at,
                    "due": request.first_contact_due(),
                    "no_broker": no_broker,
                },
                url=url,
                related=request,
            )
            counts["first_contact_overdue"] += 1
    horizon = timezone.localdate(now) + datetime.timedelta(
        days=settings.BROKERAGE_REVIEW_REMINDER_DAYS
    )
    for agreement in Agreement.objects.filter(
        request__status=Status.MATCHED, review_date__lte=horizon
    ).select_related("request__broker", "request__family"):
        request = agreement.request
        key = f"agreement:{agreement.pk}:{agreement.review_date.isoformat()}"
        if send_once(Message.BROKERAGE_REVIEW_DUE.value, key):
            notifications.reminder(
                Message.BROKERAGE_REVIEW_DUE,
                users=[u for u in (request.broker,) if u],
                context={"reference": request.reference, "review_date": agreement.review_date},
                url=notifications.broker_url(request),
                related=request,
            )
            notifications.family_news(
                request,
                "The support you agreed is due for review on "
                f"{agreement.review_date:%-d %B %Y}. Your broker will ask how it is going, in "
                "your own words and the young person's.",
                subject=notifications.REVIEW_DUE,
            )
            counts["reviews_due"] += 1
    return counts
