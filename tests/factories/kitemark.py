"""Test helpers: young auditors, and audits taken to any state through the services
(so every audit made here has the event history a real one would)."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.dates import today
from core.roles import YOUNG_AUDITORS
from kitemark import services
from kitemark.choices import AgeBand, AuditStatus, Rating
from kitemark.models import AuditorProfile

PASSWORD = "correct horse battery staple"


def make_auditor(
    username: str,
    first_name: str = "",
    *,
    age_band: str = AgeBand.AGE_16_17,
    trained: bool = True,
    user=None,
    **fields,
) -> AuditorProfile:
    """A trained young auditor with their own account (or `user`'s)."""
    if user is None:
        user = get_user_model().objects.create_user(
            username=username,
            email=f"{username}@example.org",
            password=PASSWORD,
            first_name=first_name or username.title(),
        )
    user.groups.add(Group.objects.get(name=YOUNG_AUDITORS))
    if trained:
        fields.setdefault("training_completed_on", today() - datetime.timedelta(days=30))
        if AgeBand.needs_parental_consent(age_band):
            fields.setdefault("parental_consent_on", today() - datetime.timedelta(days=30))
    profile, _ = AuditorProfile.objects.update_or_create(
        user=user,
        defaults={"first_name": first_name or user.first_name or username, "age_band": age_band}
        | fields,
    )
    return profile


ORDER = [
    AuditStatus.REQUESTED,
    AuditStatus.SCHEDULED,
    AuditStatus.IN_PROGRESS,
    AuditStatus.SUBMITTED,
    AuditStatus.WITH_PANEL,
]


def audit_to(
    status: str,
    *,
    listing,
    coordinator,
    auditors: list[AuditorProfile],
    ratings=(Rating.YES,),
    comment: str = "Staff said hello and showed us round.",
    visit_date: datetime.date | None = None,
):
    """An audit of `listing` taken through the real services to `status`."""
    audit = services.audit_request(user=coordinator, listing=listing, note="")
    if status == AuditStatus.CANCELLED:
        return services.audit_transition(
            user=coordinator, audit=audit, to=status, note="No longer needed"
        )
    target = status if status in ORDER else AuditStatus.WITH_PANEL
    steps = ORDER[ORDER.index(AuditStatus.REQUESTED) + 1 : ORDER.index(target) + 1]
    for step in steps:
        if step == AuditStatus.SCHEDULED:
            services.audit_schedule(
                user=coordinator,
                audit=audit,
                visit_date=visit_date or today(),
                auditors=auditors,
                supporting_adult="Mel from the kitemark team",
                expected_status=audit.status,
            )
        elif step == AuditStatus.IN_PROGRESS:
            first = audit.assignments.first()
            standard = audit.standard_set.standards.first()
            services.answer_save(
                user=first.auditor.user,
                assignment=first,
                standard=standard,
                rating=ratings[0],
                comment=comment,
            )
        elif step == AuditStatus.SUBMITTED:
            for n, assignment in enumerate(audit.assignments.select_related("auditor__user")):
                for standard in audit.standard_set.standards.all():
                    services.answer_save(
                        user=assignment.auditor.user,
                        assignment=assignment,
                        standard=standard,
                        rating=ratings[n % len(ratings)],
                        comment=comment if standard.number == 1 else "",
                    )
                services.review_submit(user=assignment.auditor.user, assignment=assignment)
        elif step == AuditStatus.WITH_PANEL:
            services.audit_transition(
                user=coordinator, audit=audit, to=step, expected_status=audit.status
            )
        audit.refresh_from_db()
    if status in (
        AuditStatus.AWARDED,
        AuditStatus.RENEWAL_DUE,
        AuditStatus.EXPIRED,
        AuditStatus.WITHDRAWN,
    ):
        services.audit_decide(
            user=coordinator,
            audit=audit,
            decision=services.Decision(awarded=True, reasons="Welcoming and accessible."),
            expected_status=audit.status,
        )
    elif status == AuditStatus.NOT_YET:
        services.audit_decide(
            user=coordinator,
            audit=audit,
            decision=services.Decision(
                awarded=False,
                reasons="The way in has steps and no ramp.",
                advice="Put in a ramp and an easy-read programme.",
                improvement_actions="Ramp at the side door.",
                training_offered=True,
                reaudit_due_on=today() + datetime.timedelta(days=180),
            ),
            expected_status=audit.status,
        )
    if status == AuditStatus.WITHDRAWN:
        services.audit_withdraw(
            user=coordinator, audit=audit, note="A complaint was upheld", expected_status="awarded"
        )
    audit.refresh_from_db()
    return audit
