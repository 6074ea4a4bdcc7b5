"""The auditors' side: their answers for each standard and submitting their review."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.dates import today

from .. import permissions
from ..choices import Rating
from ..models import Answer, Assignment, Standard
from ..photos import stored_photo
from .audits import S, audit_transition


def assignment_for(user, assignment_id: int) -> Assignment:
    """The auditor's own assignment; anyone else's is 'not found' (not even its existence)."""
    profile = permissions.auditor_profile(user)
    if profile is None:
        raise PermissionDenied("Only young auditors have reviews")
    assignment = (
        Assignment.objects.select_related("audit__listing", "audit__standard_set", "auditor")
        .filter(pk=assignment_id, auditor=profile)
        .first()
    )
    if assignment is None:
        raise Assignment.DoesNotExist("No such review")
    return assignment


REVIEWABLE = (S.SCHEDULED, S.IN_PROGRESS)


@transaction.atomic
def answer_save(
    *,
    user,
    assignment: Assignment,
    standard: Standard,
    rating: str,
    comment: str = "",
    photo=None,
    photo_people_confirmed: bool = False,
    remove_photo: bool = False,
) -> Answer:
    """Save one answer at once (a poor connection loses nothing). The first answer of the
    team starts the audit's 'reviews in progress'."""
    if not permissions.can_open_assignment(user, assignment):
        raise PermissionDenied("This is not your review")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    audit = assignment.audit
    if assignment.submitted_at is not None:
        raise ValidationError("You have sent this review already, so it cannot be changed")
    if audit.status not in REVIEWABLE:
        raise ValidationError("This audit is not open for reviews")
    if audit.visit_date and audit.visit_date > today():
        raise ValidationError(
            f"You can start your review on the day of the visit ({audit.visit_date:%-d %B})"
        )
    if standard.standard_set_id != audit.standard_set_id:
        raise ValidationError("That standard is not part of this audit")
    if rating not in Rating.values:
        raise ValidationError({"rating": "Choose yes, partly or not yet"})
    answer = Answer.objects.filter(assignment=assignment, standard=standard).first() or Answer(
        assignment=assignment, standard=standard
    )
    if photo and not photo_people_confirmed:
        raise ValidationError(
            {
                "photo_people_confirmed": "Tick the box to say there are no people in the photo, "
                "or everyone in it said yes"
            }
        )
    # Re-encoded from its pixels (no EXIF, its type from its content); a file that is not a
    # picture is refused here, before anything changes.
    kept = stored_photo(photo) if photo else None
    answer.rating = rating
    answer.comment = comment.strip()
    if remove_photo and answer.photo:
        answer.photo.delete(save=False)
        answer.photo_people_confirmed = False
    if photo:
        if answer.photo:
            answer.photo.delete(save=False)
        answer.photo = kept
        answer.photo_people_confirmed = True
    answer.save()
    if assignment.started_at is None:
        assignment.started_at = timezone.now()
        assignment.save(update_fields=["started_at"])
    if audit.status == S.SCHEDULED:
        audit_transition(
            user=None,
            system=True,
            audit=audit,
            to=S.IN_PROGRESS,
            note=f"{assignment.auditor_name} started their review",
        )
    return answer


def missing_standards(assignment: Assignment) -> list[Standard]:
    answered = set(assignment.answers.values_list("standard_id", flat=True))
    return [s for s in assignment.audit.standard_set.standards.all() if s.pk not in answered]


@transaction.atomic
def review_submit(*, user, assignment: Assignment) -> Assignment:
    """The auditor sends their finished review. When every auditor on the visit has, the
    audit's reviews are submitted and the coordinator is told."""
    if not permissions.can_open_assignment(user, assignment):
        raise PermissionDenied("This is not your review")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.submitted_at is not None:
        return assignment
    if assignment.audit.status not in REVIEWABLE:
        raise ValidationError("This audit is not open for reviews")
    missing = missing_standards(assignment)
    if missing:
        raise ValidationError(
            f"Answer every question first. Still to do: {', '.join(str(s.number) for s in missing)}"
        )
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["submitted_at"])
    audit = assignment.audit
    if not audit.assignments.filter(submitted_at__isnull=True).exists():
        audit_transition(
            user=None,
            system=True,
            audit=audit,
            to=S.SUBMITTED,
            note="Every auditor has sent their review",
        )
    return assignment
