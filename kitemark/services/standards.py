"""Standard sets: publishing one and starting its next version."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit as audit_trail
from core.dates import today

from .. import permissions
from ..models import Standard, StandardSet


@transaction.atomic
def standard_set_publish(*, user, standard_set: StandardSet) -> StandardSet:
    if not permissions.is_coordinator(user):
        raise PermissionDenied("Only the kitemark coordinator publishes standards")
    if standard_set.is_published:
        raise ValidationError("This version is already published")
    if not standard_set.standards.exists():
        raise ValidationError("A version needs at least one standard")
    StandardSet.objects.filter(pk=standard_set.pk).update(published_on=today())
    standard_set.refresh_from_db()
    audit_trail(
        actor=user,
        action="kitemark_standards_published",
        obj=standard_set,
        summary=f"Kitemark standards version {standard_set.version} published",
    )
    return standard_set


@transaction.atomic
def standard_set_new_version(*, user, source: StandardSet) -> StandardSet:
    """A draft copy of a version, to change without touching past audits."""
    if not permissions.is_coordinator(user):
        raise PermissionDenied("Only the kitemark coordinator changes the standards")
    draft = StandardSet.objects.create(
        title=source.title, introduction=source.introduction, written_with=source.written_with
    )
    Standard.objects.bulk_create(
        Standard(
            standard_set=draft,
            number=s.number,
            theme=s.theme,
            wording=s.wording,
            easy_read=s.easy_read,
            symbol_id=s.symbol_id,
            guidance=s.guidance,
        )
        for s in source.standards.all()
    )
    return draft
