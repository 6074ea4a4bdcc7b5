"""How a request ends without a match, the unmet demand it leaves, and the outcome record of
every request.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.dates import today
from search.demand import DAY_CODES, age_band
from search.models import UnmetDemand

from ..choices import OfferStatus, Outcome, Status, SupportKind, UnmatchedReason
from ..models import RequestOutcome, SupportRequest
from ..workflow import REQUESTS
from ._common import require_own
from .offers import withdraw_live_offers


def request_close_unmatched(*, user, request: SupportRequest, reasons, expected_status=None):
    require_own(user, request)
    reasons = [r for r in reasons if r in UnmatchedReason.values]
    if not reasons:
        raise ValidationError({"reasons": "Choose at least one reason nobody suitable was found"})
    codes = ",".join(reasons)
    with transaction.atomic():
        request = REQUESTS.move(
            request,
            Status.UNMATCHED,
            user=user,
            expected_status=expected_status,
            note=f"No suitable provider: {codes}",
            changes={"unmatched_reasons": codes},
        )
        withdraw_live_offers(request, actor=user, news="The request has been closed.")
        outcome_record(request=request, outcome=Outcome.UNMATCHED, reasons=codes)
        unmet_demand_record(request, codes)
    return request


def unmet_demand_record(request: SupportRequest, codes: str) -> UnmetDemand:
    kinds = sorted({KIND_FOR_SUPPORT[k] for k in request.support_kinds if k in KIND_FOR_SUPPORT})
    return UnmetDemand.objects.create(
        searched_on=today(),
        outcode=request.outcode,
        local_authority_code=request.local_authority_code,
        rural=request.rural,
        classified_by="brokerage request",
        mode="both",
        kinds=",".join(kinds),
        needs=",".join(request.needs.values_list("slug", flat=True))[:400],
        age_band=age_band(request.age),
        days=",".join(DAY_CODES[d] for d in request.days.values_list("pk", flat=True)),
        results=0,
        radius_miles=request.travel_miles,
        source="brokerage",
        reasons=codes[:200],
    )


KIND_FOR_SUPPORT = {
    SupportKind.PA: "personal_assistant",
    SupportKind.CLUB: "inclusive_club",
    SupportKind.AT_VENUE: "short_break",
    SupportKind.OVERNIGHT: "short_break",
}


def outcome_record(*, request: SupportRequest, outcome: str, reasons: str = "") -> RequestOutcome:
    closed = today()
    submitted = timezone.localdate(request.submitted_at) if request.submitted_at else None
    offers = request.offers.all()
    row, _ = RequestOutcome.objects.update_or_create(
        request=request,
        defaults=dict(
            outcome=outcome,
            reasons=reasons,
            closed_on=closed,
            submitted_on=submitted,
            days_to_close=(closed - submitted).days if submitted else None,
            outcode=request.outcode,
            local_authority_code=request.local_authority_code,
            age_band=age_band(request.age),
            support_kinds=",".join(request.support_kinds)[:120],
            funding=request.funding.slug if request.funding else "",
            offers_sent=offers.count(),
            # Every offer a provider said yes to, including one withdrawn later (an agreement
            # that fell through): answered, and not declined.
            offers_accepted=offers.filter(answered_at__isnull=False)
            .exclude(status=OfferStatus.DECLINED)
            .count(),
        ),
    )
    return row
