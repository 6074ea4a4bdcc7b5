"""Writes for the kitemark: keyword-only, atomic, permission-checked.

An audit's status changes only in `audit_transition`, which locks the row, refuses an illegal
move or a move by someone not allowed to make it, refuses when the audit changed since the
person looked at it (`expected_status`), writes the event row, saves and notifies.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit as audit_trail
from core.dates import add_months, today
from core.reminders import send_once
from core.roles import YOUNG_AUDITORS
from directory.models import ListingPage
from directory.permissions import is_council_staff

from . import notifications, permissions
from .choices import CURRENT_AWARD, OPEN, AgeBand, AuditStatus, Rating, Requester
from .models import Answer, Assignment, Audit, AuditEvent, AuditorProfile, Standard, StandardSet
from .notifications import Message
from .workflow import AUDITS

S = AuditStatus


def allowed_moves(user, audit: Audit) -> list[str]:
    return AUDITS.allowed_moves(user, audit)


def audit_transition(
    *,
    user,
    audit: Audit,
    to: str,
    expected_status: str | None = None,
    note: str = "",
    system: bool = False,
    changes: dict | None = None,
) -> Audit:
    """Move an audit to `to` through the workflow engine (`kitemark/workflow.py`).
    `user=None, system=True` is the product acting (a date passed). `changes` are field
    values saved with the move (a visit date, the decision's reasons)."""
    return AUDITS.move(
        audit,
        to,
        user=user,
        system=system,
        expected_status=expected_status,
        note=note,
        changes=changes,
    )


# --- Requests and scheduling ------------------------------------------------------------------


@transaction.atomic
def audit_request(*, user, listing: ListingPage, note: str = "") -> Audit:
    """A provider (for their own listing), the council or the coordinator asks for an audit,
    or a re-audit: the latest decided audit of the listing becomes its `previous`."""
    if not permissions.can_request_audit(user, listing):
        raise PermissionDenied("You can only ask for an audit of your own listings")
    ListingPage.objects.select_for_update().filter(pk=listing.pk).first()  # one request at once
    if Audit.objects.filter(listing=listing, status__in=OPEN).exists():
        raise ValidationError("This listing already has a kitemark audit on the way")
    standard_set = StandardSet.objects.current()
    if standard_set is None:
        raise ValidationError("There are no published kitemark standards yet")
    if permissions.is_coordinator(user):
        requested_as = Requester.COORDINATOR
    elif is_council_staff(user):
        requested_as = Requester.COUNCIL
    else:
        requested_as = Requester.PROVIDER
    audit = Audit.objects.create(
        listing=listing,
        standard_set=standard_set,
        requested_by=user,
        requested_as=requested_as,
        request_note=note.strip(),
        previous=Audit.objects.filter(listing=listing).decided().order_by("-pk").first(),
    )
    AuditEvent.objects.create(audit=audit, actor=user, to_status=S.REQUESTED, note=note.strip())
    notifications.audit_requested(audit, actor=user)
    return audit


@transaction.atomic
def audit_schedule(
    *,
    user,
    audit: Audit,
    visit_date: datetime.date,
    auditors: list[AuditorProfile],
    supporting_adult: str,
    expected_status: str,
    note: str = "",
) -> Audit:
    """Book the visit: a date, at least two trained auditors, and a supporting adult."""
    if not permissions.is_coordinator(user):
        raise PermissionDenied("Only the kitemark coordinator schedules visits")
    errors = {}
    if visit_date is None or visit_date < today():
        errors["visit_date"] = "The visit date must be today or in the future"
    auditors = list(dict.fromkeys(auditors))
    if len(auditors) < settings.KITEMARK_MIN_AUDITORS:
        errors["auditors"] = (
            f"Choose at least {settings.KITEMARK_MIN_AUDITORS} young auditors for the visit"
        )
    not_ready = [a.first_name for a in auditors if not a.ready_for_visits(visit_date)]
    if not_ready and "auditors" not in errors:
        errors["auditors"] = (
            "Not ready for visits (training, or parental consent for under-16s): "
            + ", ".join(not_ready)
        )
    if not supporting_adult.strip():
        errors["supporting_adult"] = "Name the adult who will support the young auditors"
    if errors:
        raise ValidationError(errors)
    audit = audit_transition(
        user=user,
        audit=audit,
        to=S.SCHEDULED,
        expected_status=expected_status,
        note=note or f"Visit on {visit_date:%-d %B %Y}",
        changes={"visit_date": visit_date, "supporting_adult": supporting_adult.strip()},
    )
    keep = {a.pk for a in auditors}
    for assignment in audit.assignments.exclude(auditor_id__in=keep):
        if assignment.answers.exists():
            raise ValidationError(
                {"auditors": f"{assignment.auditor.first_name} has already started their review"}
            )
        assignment.delete()
    for auditor in auditors:
        Assignment.objects.get_or_create(audit=audit, auditor=auditor)
    notifications.visit_booked(audit, auditors, actor=user)
    return audit


# --- Auditors' answers ------------------------------------------------------------------------


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
    answer.rating = rating
    answer.comment = comment.strip()
    if remove_photo and answer.photo:
        answer.photo.delete(save=False)
        answer.photo_people_confirmed = False
    if photo:
        if answer.photo:
            answer.photo.delete(save=False)
        answer.photo = photo
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
            note=f"{assignment.auditor.first_name} started their review",
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


# --- The panel's decision ---------------------------------------------------------------------


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


def remind_once(kind: notifications.Message, key: str) -> bool:
    """True the first time for (kind, key): the row is written before anything is sent."""
    return send_once(kind.value, key[:128])


@transaction.atomic
def reminders_send(*, on: datetime.date | None = None) -> dict[str, int]:
    """Renewals and expiries, upcoming visits, overdue reviews and re-audits due. Running it
    twice sends nothing twice."""
    on = on or today()
    counts = awards_refresh(on=on)
    counts.update(visit_soon=0, review_overdue=0, reaudit_due=0)
    soon = on + datetime.timedelta(days=settings.KITEMARK_VISIT_REMINDER_DAYS)
    for assignment in Assignment.objects.filter(
        audit__status=S.SCHEDULED, audit__visit_date__range=(on, soon)
    ).select_related("audit__listing", "auditor__user"):
        audit = assignment.audit
        if remind_once(Message.KITEMARK_VISIT_SOON, f"{assignment.pk}:{audit.visit_date}"):
            notifications.visit_soon(assignment)
            counts["visit_soon"] += 1
    late = on - datetime.timedelta(days=settings.KITEMARK_REVIEW_DAYS)
    for assignment in Assignment.objects.filter(
        audit__status__in=REVIEWABLE, audit__visit_date__lt=late, submitted_at__isnull=True
    ).select_related("audit__listing", "auditor__user"):
        audit = assignment.audit
        if remind_once(Message.KITEMARK_REVIEW_OVERDUE, f"{assignment.pk}"):
            notifications.review_overdue(assignment)
            counts["review_overdue"] += 1
    for audit in overdue_reaudits(on=on):
        if remind_once(Message.KITEMARK_REAUDIT_DUE, f"{audit.pk}:{audit.reaudit_due_on}"):
            notifications.reaudit_due(audit)
            counts["reaudit_due"] += 1
    return counts


def overdue_reaudits(*, on: datetime.date | None = None):
    """'Not yet' decisions whose re-audit date has come, with no newer audit of the listing."""
    on = on or today()
    return (
        Audit.objects.filter(status=S.NOT_YET, reaudit_due_on__lte=on)
        .exclude(follow_ups__isnull=False)
        .select_related("listing")
        .order_by("reaudit_due_on")
    )


# --- Withdrawal and cancellation --------------------------------------------------------------


def audit_withdraw(*, user, audit: Audit, note: str, expected_status: str) -> Audit:
    """Take a kitemark away (e.g. a complaint upheld). The badge goes at once."""
    return audit_transition(
        user=user, audit=audit, to=S.WITHDRAWN, expected_status=expected_status, note=note
    )


# --- Standards and auditors -------------------------------------------------------------------


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


@transaction.atomic
def auditor_create(
    *,
    user,
    username: str,
    password: str,
    first_name: str,
    age_band: str,
    training_completed_on: datetime.date | None = None,
    parental_consent_on: datetime.date | None = None,
    access_needs: str = "",
    supporting_adult: str = "",
    email: str = "",
) -> AuditorProfile:
    """The coordinator makes a young auditor's simple account: a username and a password they
    give the young person (and their parent), and the profile."""
    if not permissions.is_coordinator(user):
        raise PermissionDenied("Only the kitemark coordinator adds young auditors")
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken: choose another"})
    if age_band not in AgeBand.values:
        raise ValidationError({"age_band": "Choose an age band"})
    account = User(username=username, first_name=first_name, email=email)
    account.set_password(password)
    account.full_clean(exclude=["password"])
    account.save()
    account.groups.add(Group.objects.get(name=YOUNG_AUDITORS))
    profile = AuditorProfile(
        user=account,
        first_name=first_name,
        age_band=age_band,
        training_completed_on=training_completed_on,
        parental_consent_on=parental_consent_on,
        access_needs=access_needs,
        supporting_adult=supporting_adult,
    )
    profile.full_clean()
    profile.save()
    audit_trail(
        actor=user, action="kitemark_auditor_added", obj=profile, summary="Young auditor added"
    )
    return profile


@transaction.atomic
def auditor_set_password(*, user, profile: AuditorProfile, password: str) -> None:
    """The coordinator gives a young auditor a new password (they forgot it)."""
    if not permissions.is_coordinator(user):
        raise PermissionDenied("Only the kitemark coordinator manages young auditors' accounts")
    if len(password) < 10:
        raise ValidationError({"password": "Use at least 10 characters"})
    profile.user.set_password(password)
    profile.user.save(update_fields=["password"])
    audit_trail(
        actor=user,
        action="kitemark_auditor_password_set",
        obj=profile,
        summary="Young auditor's password changed by the coordinator",
    )
