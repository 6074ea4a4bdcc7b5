"""The broker's queue: what each request needs, where, how long is left before first contact
(a countdown in working days, England's bank holidays excluded) and which offers are about to
expire, most urgent first."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from core.dates import working_days_between
from directory.models import Need
from gazetteer.models import LocalAuthority

from .choices import OfferStatus
from .models import Offer, SupportRequest

# An offer still waiting for the provider's answer this close to its expiry is flagged, so
# the broker can chase the provider or look elsewhere in time.
EXPIRING_WITHIN = datetime.timedelta(days=2)


@dataclass
class QueueRow:
    request: SupportRequest
    needs: list[str]
    area: str
    days_left: int | None  # working days until first contact is due; negative when overdue
    overdue: bool
    expiring: list[Offer] = field(default_factory=list)

    @property
    def countdown(self) -> str:
        """Time left to first contact, in words."""
        if self.request.first_contact_at is not None:
            return f"Made {timezone.localtime(self.request.first_contact_at):%-d %b %Y}"
        if self.days_left is None:
            return "Not due"
        if self.overdue:
            late = -self.days_left
            if late <= 0:
                return "Overdue: it was due today"
            return f"Overdue by {late} working day{'s' if late != 1 else ''}"
        if self.days_left == 0:
            return "Due today"
        return f"{self.days_left} working day{'s' if self.days_left != 1 else ''} left"

    def urgency(self) -> tuple:
        """Overdue first, then offers about to expire, then the fewest working days left."""
        waiting_contact = self.request.first_contact_at is None and self.days_left is not None
        soonest = min((offer.expires_at for offer in self.expiring), default=None)
        return (
            0 if self.overdue else 1,
            0 if soonest else 1,
            soonest.timestamp() if soonest else 0,
            self.days_left if waiting_contact else 10_000,
            self.request.submitted_at or self.request.created_at,
        )


def queue_rows(requests, now: datetime.datetime | None = None) -> list[QueueRow]:
    """The requests as queue rows, most urgent first."""
    now = now or timezone.now()
    requests = list(
        requests.prefetch_related(
            Prefetch("needs", queryset=Need.objects.order_by("name"), to_attr="need_list"),
            Prefetch(
                "offers",
                queryset=Offer.objects.filter(
                    status=OfferStatus.SENT,
                    expires_at__gt=now,
                    expires_at__lte=now + EXPIRING_WITHIN,
                )
                .select_related("listing")
                .order_by("expires_at"),
                to_attr="expiring_offers",
            ),
        )
    )
    councils = dict(
        LocalAuthority.objects.filter(
            code__in={r.local_authority_code for r in requests}
        ).values_list("code", "name")
    )
    today = timezone.localdate(now)
    rows = []
    for r in requests:
        due = r.first_contact_due()
        days_left = working_days_between(today, timezone.localdate(due)) if due else None
        area = ", ".join(x for x in (r.postcode_sector, councils.get(r.local_authority_code)) if x)
        rows.append(
            QueueRow(
                request=r,
                needs=[need.name for need in r.need_list],
                area=area,
                days_left=days_left,
                overdue=r.first_contact_overdue(now),
                expiring=r.expiring_offers,
            )
        )
    return sorted(rows, key=QueueRow.urgency)
