"""A young auditor's data: what they (or the coordinator, for them) can download, erasing it,
and how long reviews' photos and words are kept. The data map: `docs/privacy.md`.

Erasing a young person never undoes what the panel decided: the audit, its decision and the
kitemark awarded stay, and each review they sent keeps its ratings, shown as "A former panel
member". Their account, profile, access needs, comments and photos (from storage too) go; a
review not yet sent to an audit still open goes whole."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from core.audit import audit as audit_trail
from core.dates import add_months

from . import permissions
from .choices import DECIDED, AuditStatus
from .models import Answer, Assignment, AuditorProfile

CLOSED = [*DECIDED, AuditStatus.CANCELLED]


def photo_file_delete(photo) -> None:
    """Delete a photo's file from storage once the change that drops it is committed (a change
    rolled back keeps its photo)."""
    if photo:
        storage, name = photo.storage, photo.name
        transaction.on_commit(lambda: storage.delete(name))


def photo_remove(answer: Answer) -> None:
    """Take an answer's photo off it, and out of storage."""
    photo_file_delete(answer.photo)
    answer.photo = ""
    answer.photo_people_confirmed = False


def answer_deleted(sender, instance: Answer, **kwargs) -> None:
    """An answer deleted (a review not sent, an audit whose listing went) takes its photo's
    file with it. Connected in `KitemarkConfig.ready`."""
    photo_file_delete(instance.photo)


def auditor_export(*, user, profile: AuditorProfile) -> dict:
    """Everything held about a young auditor, in words: for them, or the coordinator on their
    behalf (a parent may ask)."""
    if not (permissions.is_coordinator(user) or profile.user_id == user.pk):
        raise PermissionDenied("Only the young auditor or the coordinator can download this")
    audit_trail(
        actor=user,
        action="kitemark_auditor_data_exported",
        obj=profile,
        summary="Young auditor's data downloaded"
        + (" by the coordinator" if profile.user_id != user.pk else ""),
    )
    assignments = profile.assignments.select_related("audit__listing").order_by("audit__pk")
    return {
        "exported_at": timezone.now(),
        "account": {"username": profile.user.get_username(), "email": profile.user.email},
        "profile": {
            "first_name": profile.first_name,
            "age_band": profile.get_age_band_display(),
            "training_completed_on": profile.training_completed_on,
            "parental_consent_recorded_on": profile.parental_consent_on,
            "access_needs": profile.access_needs,
            "supporting_adult": profile.supporting_adult,
            "active": profile.active,
            "added": profile.created_at,
        },
        "visits": [
            {
                "setting": a.audit.listing.title,
                "visit_date": a.audit.visit_date,
                "audit_status": a.audit.get_status_display(),
                "started_at": a.started_at,
                "sent_at": a.submitted_at,
                "answers": [
                    {
                        "standard": answer.standard.wording,
                        "answer": answer.get_rating_display(),
                        "comment": answer.comment,
                        "photo": "Yes" if answer.photo else "No",
                        "comment_published": "Yes" if answer.quote_published else "No",
                    }
                    for answer in a.answers.select_related("standard")
                ],
            }
            for a in assignments
        ],
    }


@transaction.atomic
def auditor_erase(*, user, profile: AuditorProfile, reason: str = "") -> None:
    """Erase a young auditor (at their or their parent's request, or past retention): the
    coordinator, the auditor themself, or the product (`user=None`, retention)."""
    if user is not None and not (permissions.is_coordinator(user) or profile.user_id == user.pk):
        raise PermissionDenied("Only the young auditor or the coordinator can do this")
    unsent = Assignment.objects.filter(auditor=profile, submitted_at__isnull=True).exclude(
        audit__status__in=CLOSED
    )
    for answer in Answer.objects.filter(assignment__auditor=profile).exclude(photo=""):
        photo_remove(answer)
        answer.save(update_fields=["photo", "photo_people_confirmed"])
    Answer.objects.filter(assignment__auditor=profile).update(comment="", quote_published=False)
    unsent.delete()
    audit_trail(
        actor=user,
        action="kitemark_auditor_erased",
        obj=profile,
        summary="Young auditor's data erased"
        + (f" ({reason})" if reason else "")
        + "; the panel's decisions stay",
    )
    account = profile.user
    profile.delete()  # their sent reviews now read "A former panel member"
    account.delete()


def retention_enforce(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Photos and unpublished comments go `KITEMARK_RETENTION["review_months"]` after the
    panel decided (or the audit was cancelled); a young auditor not on any visit for
    `KITEMARK_RETENTION["auditor_inactive_months"]` (or added that long ago and never on one)
    is erased."""
    now = now or timezone.now()
    on = timezone.localdate(now)
    rules = settings.KITEMARK_RETENTION
    review_cutoff = add_months(on, -rules["review_months"])
    old = Answer.objects.filter(
        Q(assignment__audit__decided_on__lt=review_cutoff)
        | Q(
            assignment__audit__status=AuditStatus.CANCELLED,
            assignment__audit__updated_at__date__lt=review_cutoff,
        )
    )
    photos = 0
    with transaction.atomic():
        for answer in old.exclude(photo=""):
            photo_remove(answer)
            answer.save(update_fields=["photo", "photo_people_confirmed"])
            photos += 1
        comments = old.filter(quote_published=False).exclude(comment="").update(comment="")
    inactive_cutoff = add_months(on, -rules["auditor_inactive_months"])
    quiet = (
        AuditorProfile.objects.annotate(last_visit=Max("assignments__audit__visit_date"))
        .filter(created_at__date__lt=inactive_cutoff)
        .filter(Q(last_visit__lt=inactive_cutoff) | Q(last_visit__isnull=True))
        .exclude(assignments__audit__status__in=[s for s in AuditStatus if s not in CLOSED])
        .select_related("user")
    )
    erased = 0
    for profile in quiet:
        auditor_erase(user=None, profile=profile, reason="no visit within the retention period")
        erased += 1
    return {"photos_deleted": photos, "comments_deleted": comments, "auditors_erased": erased}
