"""The panel's decision, the quotes it publishes, and the awards refreshed as dates pass."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.dates import add_months, today

from .. import permissions
from ..choices import CURRENT_AWARD
from ..models import Answer, Audit
from .audits import S, audit_transition


@dataclass
class Decision:
    awarded: bool
    reasons: str
    advice: str = ""
    improvement_actions: str = ""
    training_offered: bool = False
    reaudit_due_on: datetime.date | None = None
    public_summary: str = ""
    award_months: int | None = None


@transaction.atomic
def audit_decide(
    *,
    user,
    audit: Audit,
    decision: Decision,
    published_answer_ids: list[int] = (),
    expected_status: str,
) -> Audit:
    """Record the panel's decision: an award (valid for KITEMARK_AWARD_MONTHS) or 'not yet'
    with advice, improvement actions, an offer of training and a re-audit date."""
    if not permissions.is_coordinator(user):
        raise PermissionDenied("Only the kitemark coordinator records the panel's decision")
    errors = {}
    if not decision.reasons.strip():
        errors["reasons"] = "Write down the panel's reasons"
    on = today()
    if decision.awarded:
        months = decision.award_months or settings.KITEMARK_AWARD_MONTHS
        if not 1 <= months <= 60:
            errors["award_months"] = "An award lasts between 1 and 60 months"
        changes = {
            "awarded_on": on,
            "expires_on": add_months(on, months) if not errors else None,
            "reaudit_due_on": None,
        }
        to = S.AWARDED
    else:
        if not decision.advice.strip():
            errors["advice"] = "Give the setting advice on what to improve"
        if decision.reaudit_due_on is None or decision.reaudit_due_on <= on:
            errors["reaudit_due_on"] = "Choose a re-audit date in the future"
        changes = {"reaudit_due_on": decision.reaudit_due_on, "awarded_on": None}
        to = S.NOT_YET
    if errors:
        raise ValidationError(errors)
    changes.update(
        decided_on=on,
        decision_reasons=decision.reasons.strip(),
        advice=decision.advice.strip(),
        improvement_actions=decision.improvement_actions.strip(),
        training_offered=decision.training_offered,
        public_summary=decision.public_summary.strip(),
    )
    answers = Answer.objects.filter(assignment__audit=audit)
    wanted = set(published_answer_ids)
    if wanted - set(answers.exclude(comment="").values_list("pk", flat=True)):
        raise ValidationError("Only comments from this audit's reviews can be published")
    previous_awards = list(
        Audit.objects.filter(listing_id=audit.listing_id, status__in=CURRENT_AWARD).exclude(
            pk=audit.pk
        )
    )
    audit = audit_transition(
        user=user,
        audit=audit,
        to=to,
        expected_status=expected_status,
        note=decision.reasons,
        changes=changes,
    )
    answers.update(quote_published=False)
    answers.filter(pk__in=wanted).update(quote_published=True)
    if to == S.AWARDED:
        for earlier in previous_awards:
            audit_transition(
                user=None,
                system=True,
                audit=earlier,
                to=S.RENEWED,
                note=f"Renewed by the award of {on:%-d %B %Y}",
            )
    return audit


@transaction.atomic
def audit_publish_quotes(*, user, audit: Audit, answer_ids: list[int]) -> int:
    """Change which comments appear on the public page ('what young people said')."""
    if not permissions.is_coordinator(user):
        raise PermissionDenied("Only the kitemark coordinator publishes quotes")
    answers = Answer.objects.filter(assignment__audit=audit).exclude(comment="")
    if set(answer_ids) - set(answers.values_list("pk", flat=True)):
        raise ValidationError("Only comments from this audit's reviews can be published")
    answers.update(quote_published=False)
    return answers.filter(pk__in=answer_ids).update(quote_published=True)


# --- Dates passing: renewal due and expiry ----------------------------------------------------


def renewal_notice_date(expires_on: datetime.date) -> datetime.date:
    return add_months(expires_on, -settings.KITEMARK_RENEWAL_NOTICE_MONTHS)


def awards_refresh(*, on: datetime.date | None = None) -> dict[str, int]:
    """Move awards on as dates pass: renewal due, then expired. Idempotent."""
    on = on or today()
    counts = {"renewal_due": 0, "expired": 0}
    for audit in Audit.objects.filter(status__in=CURRENT_AWARD, expires_on__lt=on):
        audit_transition(
            user=None, system=True, audit=audit, to=S.EXPIRED, note="The award's date passed"
        )
        counts["expired"] += 1
    for audit in Audit.objects.filter(status=S.AWARDED, expires_on__gte=on):
        if renewal_notice_date(audit.expires_on) <= on:
            audit_transition(
                user=None,
                system=True,
                audit=audit,
                to=S.RENEWAL_DUE,
                note=f"The award ends on {audit.expires_on:%-d %B %Y}",
            )
            counts["renewal_due"] += 1
    return counts
