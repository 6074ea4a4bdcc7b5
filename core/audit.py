"""The audit trail: who did what to which record, in words safe to show council staff."""

from django.db import models

from .models import AuditEvent


def audit(*, actor, action: str, obj: models.Model, summary: str) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:255],
    )


def audit_job(*, action: str, day, summary: str) -> AuditEvent:
    """What the product did on its own, to many records at once (a daily job), by day."""
    return AuditEvent.objects.create(
        actor=None,
        action=action,
        object_type="job",
        object_id=day.isoformat(),
        summary=summary[:255],
    )


def trail_of(obj: models.Model):
    """Every audit row about one record, newest first."""
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
