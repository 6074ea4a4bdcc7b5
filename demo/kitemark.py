"""Demo data for the kitemark: young auditors (the demo auditor account and a few more on the
panel), and audits in every interesting state, made through the real services so each has
its history. Called once by `seed_demo`; does nothing if there are audits already."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q

from core.dates import add_months, today
from core.messenger import muted
from core.roles import YOUNG_AUDITORS
from directory.choices import ListingKind
from directory.models import ListingPage, visibility_q
from kitemark import services
from kitemark.badge import listing_kitemark_refresh
from kitemark.choices import AgeBand, AuditStatus, Rating
from kitemark.models import Answer, Audit, AuditorProfile

PANEL = [  # (short username, first name, age band): invented young people on the panel
    ("amira", "Amira", AgeBand.AGE_18_25),
    ("callum", "Callum", AgeBand.AGE_14_15),
    ("freya", "Freya", AgeBand.AGE_16_17),
]

COMMENTS = {
    1: ["They said hi and knew my name by the end.", "A worker showed us round first."],
    2: ["Everyone played the same games together.", "Some kids were kept in another room."],
    3: ["There is a ramp at the front and a lift.", "The back door is heavy."],
    5: ["The rules are in pictures on the wall.", "Nothing in easy read."],
    8: ["There is a chill-out room with beanbags.", "It got loud in the hall."],
    12: ["We know who to tell. Her photo is on the wall.", "I felt safe."],
}


def panel_member(
    user, first_name: str, *, age_band: str, access_needs: str = "", supporting_adult: str = ""
) -> AuditorProfile:
    """A young auditor on the panel, trained a month ago (with a parent's consent when their age
    needs it), as the kitemark coordinator would have recorded them."""
    user.groups.add(Group.objects.get(name=YOUNG_AUDITORS))
    a_month_ago = today() - datetime.timedelta(days=30)
    fields = {"first_name": first_name, "age_band": age_band, "training_completed_on": a_month_ago}
    if AgeBand.needs_parental_consent(age_band):
        fields["parental_consent_on"] = a_month_ago
    if access_needs:
        fields["access_needs"] = access_needs
    if supporting_adult:
        fields["supporting_adult"] = supporting_adult
    profile, _ = AuditorProfile.objects.update_or_create(user=user, defaults=fields)
    return profile


def auditors_for(users: dict) -> list:
    team = []
    demo = users.get("jamie")
    if demo is not None:
        team.append(
            panel_member(
                demo,
                demo.first_name or "Jamie",
                age_band=AgeBand.AGE_16_17,
                access_needs="Likes easy read and a bit more time to answer.",
                supporting_adult="Priya Shah",
            )
        )
    User = get_user_model()
    for username, first_name, band in PANEL:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first_name)
            user.set_unusable_password()  # panel members of the demo; only Jamie signs in
            user.save()
        team.append(panel_member(user, first_name, age_band=band))
    return team


def answer_all(audit: Audit, ratings_by_auditor: list[tuple]) -> None:
    for assignment, ratings in zip(
        audit.assignments.select_related("auditor__user").order_by("auditor__first_name"),
        ratings_by_auditor,
        strict=False,
    ):
        for standard in audit.standard_set.standards.all():
            rating = ratings[(standard.number - 1) % len(ratings)]
            comments = COMMENTS.get(standard.number, [])
            services.answer_save(
                user=assignment.auditor.user,
                assignment=assignment,
                standard=standard,
                rating=rating,
                comment=comments[standard.number % len(comments)] if comments else "",
            )
        services.review_submit(user=assignment.auditor.user, assignment=assignment)


def demo_listings(count: int) -> list[ListingPage]:
    """Venue settings families can see (clubs and short break services, not PAs)."""
    return list(
        ListingPage.objects.live()
        .public()
        .filter(visibility_q())
        .filter(Q(kind=ListingKind.INCLUSIVE_CLUB) | Q(kind=ListingKind.SHORT_BREAK), at_venue=True)
        .order_by("pk")[:count]
    )


def seed_kitemark_demo(*, users: dict) -> dict[str, int]:
    """Seed the kitemark demo without sending anyone a message (see `seed`)."""
    with muted():
        return seed(users=users)


def seed(*, users: dict) -> dict[str, int]:
    """Audits in several states: awarded (three, one due for renewal), not yet, with the
    panel, in progress and scheduled for the demo auditor, and requested by a provider."""
    if Audit.objects.exists():
        return {}
    coordinator = users["demo-coordinator"]
    team = auditors_for(users)
    jamie, others = team[0], team[1:]
    listings = demo_listings(8)
    if len(listings) < 8 or len(team) < 3:
        return {}
    on = today()
    made = {}

    def through_panel(listing, auditors, ratings):
        audit = services.audit_request(user=coordinator, listing=listing, note="")
        services.audit_schedule(
            user=coordinator,
            audit=audit,
            visit_date=on,
            auditors=auditors,
            supporting_adult="Priya Shah",
            expected_status=audit.status,
        )
        answer_all(audit, ratings)
        audit.refresh_from_db()
        services.audit_transition(
            user=coordinator, audit=audit, to=AuditStatus.WITH_PANEL, expected_status="submitted"
        )
        return audit

    yes, partly, not_yet = Rating.YES, Rating.PARTLY, Rating.NOT_YET
    # Three awards; the first granted 22 months ago, so its renewal is due now.
    for index, months_ago in enumerate((22, 5, 1)):
        audit = through_panel(listings[index], [jamie, others[index % 3]], [(yes,), (yes, partly)])
        services.audit_decide(
            user=coordinator,
            audit=audit,
            decision=services.Decision(
                awarded=True,
                reasons="The young people felt welcome, could get in and around, and joined in.",
                public_summary="Friendly staff who know everyone's name, a quiet room and "
                "activities changed so everyone can take part.",
            ),
            published_answer_ids=list(
                Answer.objects.filter(assignment__audit=audit, standard__number__in=[1, 3, 12])
                .exclude(comment="")
                .values_list("pk", flat=True)[:3]
            ),
            expected_status=AuditStatus.WITH_PANEL,
        )
        awarded_on = add_months(on, -months_ago)
        Audit.objects.filter(pk=audit.pk).update(
            awarded_on=awarded_on,
            decided_on=awarded_on,
            visit_date=awarded_on - datetime.timedelta(days=14),
            expires_on=add_months(awarded_on, 24),
        )
        listing_kitemark_refresh(listing_id=audit.listing_id)
    made["awarded"] = 3
    made.update(services.awards_refresh(on=on))

    audit = through_panel(listings[3], [others[0], others[1]], [(not_yet, partly), (not_yet,)])
    services.audit_decide(
        user=coordinator,
        audit=audit,
        decision=services.Decision(
            awarded=False,
            reasons="The way in has steps, and nothing is explained in easy read yet.",
            advice="Ask young people what would help. A portable ramp and a picture timetable "
            "would make a big difference.",
            improvement_actions="1. Portable ramp at the main door.\n2. Easy-read programme.",
            training_offered=True,
            reaudit_due_on=add_months(on, 6),
        ),
        expected_status=AuditStatus.WITH_PANEL,
    )
    made["not_yet"] = 1

    through_panel(listings[4], [others[1], others[2]], [(yes, partly), (not_yet, yes)])
    made["with_panel"] = 1

    # Jamie's own visits: one today, half answered; one in a few days' time.
    audit = services.audit_request(user=coordinator, listing=listings[5], note="")
    services.audit_schedule(
        user=coordinator,
        audit=audit,
        visit_date=on,
        visit_time=datetime.time(10, 0),
        auditors=[jamie, others[2]],
        supporting_adult="Priya Shah",
        expected_status=audit.status,
    )
    mine = audit.assignments.get(auditor=jamie)
    for standard in audit.standard_set.standards.all()[:5]:
        services.answer_save(user=jamie.user, assignment=mine, standard=standard, rating=Rating.YES)
    made["in_progress"] = 1
    audit = services.audit_request(user=coordinator, listing=listings[6], note="")
    services.audit_schedule(
        user=coordinator,
        audit=audit,
        visit_date=on + datetime.timedelta(days=4),
        visit_time=datetime.time(13, 30),
        auditors=[jamie, others[0]],
        supporting_adult="Priya Shah",
        expected_status=audit.status,
    )
    made["scheduled"] = 1

    provider = users.get("demo-provider")
    own = (
        ListingPage.objects.filter(organisation__editors__user=provider, live=True)
        .exclude(audits__isnull=False)
        .first()
        if provider
        else None
    )
    services.audit_request(
        user=provider if own else coordinator,
        listing=own or listings[7],
        note="We have put in a sensory room and would like the panel to visit.",
    )
    made["requested"] = 1
    return made
