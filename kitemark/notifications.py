"""Who hears about each step of a kitemark audit. The only module of the kitemark that sends
messages (`core.messenger`)."""

from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse

from core import messenger
from core.recipients import provider_recipients
from core.roles import KITEMARK_COORDINATORS, members

from .choices import AuditStatus as S


class Message(models.TextChoices):
    KITEMARK_AUDIT_REQUESTED = "kitemark_audit_requested", "A kitemark audit was requested"
    KITEMARK_VISIT_SCHEDULED = "kitemark_visit_scheduled", "A kitemark visit is booked"
    KITEMARK_VISIT_SOON = "kitemark_visit_soon", "A kitemark visit is coming up"
    KITEMARK_REVIEW_OVERDUE = "kitemark_review_overdue", "A kitemark review is overdue"
    KITEMARK_REVIEWS_SUBMITTED = "kitemark_reviews_submitted", "Kitemark reviews are ready"
    KITEMARK_AWARDED = "kitemark_awarded", "A kitemark was awarded"
    KITEMARK_NOT_YET = "kitemark_not_yet", "Kitemark: not yet, with advice"
    KITEMARK_RENEWAL_DUE = "kitemark_renewal_due", "A kitemark is due for renewal"
    KITEMARK_EXPIRED = "kitemark_expired", "A kitemark has expired"
    KITEMARK_WITHDRAWN = "kitemark_withdrawn", "A kitemark was withdrawn"
    KITEMARK_REAUDIT_DUE = "kitemark_reaudit_due", "A kitemark re-audit is due"


DECISION_MESSAGES = {
    S.AWARDED: Message.KITEMARK_AWARDED,
    S.NOT_YET: Message.KITEMARK_NOT_YET,
    S.RENEWAL_DUE: Message.KITEMARK_RENEWAL_DUE,
    S.EXPIRED: Message.KITEMARK_EXPIRED,
    S.WITHDRAWN: Message.KITEMARK_WITHDRAWN,
}


def coordinators():
    return members(KITEMARK_COORDINATORS)


def provider_users(listing) -> list:
    """The people who edit the listing's organisation (no bare address: the kitemark writes
    to people, who then see the audit in the admin)."""
    return provider_recipients(listing.organisation)[0] if listing.organisation_id else []


def auditor_users(audit):
    return get_user_model().objects.filter(
        auditor_profile__assignments__audit=audit, is_active=True
    )


def admin_url(audit) -> str:
    return reverse("kitemark_admin:audit_detail", args=[audit.pk])


def after_transition(audit, from_status: str, to: str, actor, note: str = "") -> None:
    """Who hears about each move."""
    context = {"audit": audit, "listing": audit.listing}
    if to == S.SCHEDULED:  # the auditors are told by visit_booked, once the team is set
        messenger.send(
            Message.KITEMARK_VISIT_SCHEDULED,
            users=provider_users(audit.listing),
            context={**context, "for_provider": True},
            url=reverse("kitemark_admin:provider"),
            actor=actor,
            related=audit,
        )
    elif to == S.SUBMITTED:
        messenger.send(
            Message.KITEMARK_REVIEWS_SUBMITTED,
            users=list(coordinators()),
            context=context,
            url=admin_url(audit),
            actor=actor,
            related=audit,
        )
    elif to in DECISION_MESSAGES:
        kind = DECISION_MESSAGES[to]
        messenger.send(
            kind,
            users=provider_users(audit.listing),
            context=context,
            url=reverse("kitemark_admin:provider"),
            actor=actor,
            related=audit,
        )
        if to in (S.RENEWAL_DUE, S.EXPIRED, S.WITHDRAWN):
            messenger.send(
                kind,
                users=list(coordinators()),
                context={**context, "for_coordinator": True},
                url=admin_url(audit),
                actor=actor,
                related=audit,
            )


def audit_requested(audit, *, actor) -> None:
    messenger.send(
        Message.KITEMARK_AUDIT_REQUESTED,
        users=list(coordinators()),
        context={"audit": audit, "listing": audit.listing},
        url=admin_url(audit),
        actor=actor,
        related=audit,
    )


def visit_booked(audit, auditors, *, actor) -> None:
    """Each young auditor hears when and where, and who is going with them (the others on
    the panel by first name, the supporting adult, and the coordinator who booked it)."""
    assignments = audit.assignments.filter(auditor__in=auditors, auditor__user__isnull=False)
    for assignment in assignments.select_related("auditor__user"):
        messenger.send(
            Message.KITEMARK_VISIT_SCHEDULED,
            users=[assignment.auditor.user],
            context={
                "audit": audit,
                "listing": audit.listing,
                "assignment": assignment,
                "coordinator": actor if getattr(actor, "is_authenticated", False) else None,
            },
            url=reverse("kitemark:auditor_home"),
            actor=actor,
            related=audit,
        )


def visit_soon(assignment) -> None:
    audit = assignment.audit
    messenger.send(
        Message.KITEMARK_VISIT_SOON,
        users=[assignment.auditor.user],
        context={"audit": audit, "listing": audit.listing, "assignment": assignment},
        url=reverse("kitemark:review", args=[assignment.pk]),
        related=audit,
    )


def review_overdue(assignment) -> None:
    audit = assignment.audit
    context = {"audit": audit, "listing": audit.listing, "assignment": assignment}
    messenger.send(
        Message.KITEMARK_REVIEW_OVERDUE,
        users=[assignment.auditor.user],
        context=context,
        url=reverse("kitemark:review", args=[assignment.pk]),
        related=audit,
    )
    messenger.send(
        Message.KITEMARK_REVIEW_OVERDUE,
        users=list(coordinators()),
        context={**context, "for_coordinator": True},
        url=admin_url(audit),
        related=audit,
    )


def reaudit_due(audit) -> None:
    messenger.send(
        Message.KITEMARK_REAUDIT_DUE,
        users=list(coordinators()) + provider_users(audit.listing),
        context={"audit": audit, "listing": audit.listing},
        url=reverse("kitemark_admin:provider"),
        related=audit,
    )
