"""The kitemark audit's state machine: every move, who may make it, the event log, the
listing's badge fields, and two people acting at once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from freezegun import freeze_time

from core.dates import add_months, today
from core.workflow import TransitionRefused
from directory.models import ListingStatus
from directory.signals import listing_status_changed
from kitemark import services
from kitemark.choices import AuditStatus as S
from kitemark.choices import Rating
from kitemark.models import Audit, AuditEvent, StandardSet
from kitemark.workflow import AUDITS
from tests.factories.kitemark import audit_to, make_auditor

pytestmark = pytest.mark.django_db


C, P, SYS = "coordinator", "provider", "system"
# The audit's table, written out as the rule (docs/workflows/kitemark-audits.md shows it too).
AUDIT_TABLE = {
    ("requested", "scheduled"): {C},
    ("requested", "cancelled"): {C, P},
    ("scheduled", "scheduled"): {C},
    ("scheduled", "in_progress"): {SYS, C},
    ("scheduled", "cancelled"): {C},
    ("in_progress", "submitted"): {SYS, C},
    ("in_progress", "cancelled"): {C},
    ("submitted", "with_panel"): {C},
    ("with_panel", "awarded"): {C},
    ("with_panel", "not_yet"): {C},
    ("awarded", "renewal_due"): {SYS},
    ("awarded", "expired"): {SYS},
    ("awarded", "renewed"): {SYS},
    ("awarded", "withdrawn"): {C},
    ("renewal_due", "expired"): {SYS},
    ("renewal_due", "renewed"): {SYS},
    ("renewal_due", "withdrawn"): {C},
}


def test_the_audit_table_is_the_rule():
    assert {(m.source, m.target): set(m.roles) for m in AUDITS.moves} == AUDIT_TABLE


def test_the_default_standards_are_published_with_easy_read_words_and_guidance():
    standard_set = StandardSet.objects.current()
    assert standard_set is not None and standard_set.is_published
    standards = list(standard_set.standards.all())
    assert len(standards) >= 10
    assert {s.theme for s in standards} >= {
        "welcome",
        "getting_in",
        "communication",
        "activities",
        "staff_attitude",
        "facilities",
        "feeling_safe",
    }
    assert all(s.wording and s.easy_read and s.guidance for s in standards)


def test_a_published_version_of_the_standards_cannot_change(coordinator):
    standard_set = StandardSet.objects.current()
    standard_set.title = "Changed"
    with pytest.raises(ValidationError):
        standard_set.save()


def test_a_new_version_leaves_past_audits_on_the_version_they_used(coordinator, listing, auditors):
    audit = audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    old = audit.standard_set
    draft = services.standard_set_new_version(user=coordinator, source=old)
    draft.standards.filter(number=1).update(wording="Reworded")
    services.standard_set_publish(user=coordinator, standard_set=draft)
    audit.refresh_from_db()
    assert audit.standard_set == old
    assert old.standards.get(number=1).wording != "Reworded"
    assert StandardSet.objects.current() == draft


def test_only_the_coordinator_changes_the_standards(provider_a, young_auditor):
    for user in (provider_a, young_auditor):
        with pytest.raises(PermissionDenied):
            services.standard_set_new_version(user=user, source=StandardSet.objects.current())


def test_a_provider_can_request_an_audit_of_their_own_listing(provider_a, listing, coordinator):
    audit = services.audit_request(user=provider_a, listing=listing, note="We have a new ramp")
    assert audit.status == S.REQUESTED
    assert audit.requested_as == "provider"
    event = audit.events.get()
    assert (event.actor, event.from_status, event.to_status) == (provider_a, "", S.REQUESTED)


def test_a_provider_cannot_request_an_audit_of_anothers_listing(provider_b, listing):
    with pytest.raises(PermissionDenied):
        services.audit_request(user=provider_b, listing=listing)


def test_a_family_or_auditor_cannot_request_an_audit(family, ruby, listing):
    for user in (family, ruby.user):
        with pytest.raises(PermissionDenied):
            services.audit_request(user=user, listing=listing)


def test_the_council_can_request_an_audit(moderator, listing):
    assert services.audit_request(user=moderator, listing=listing).requested_as == "council"


def test_a_listing_has_only_one_audit_on_the_way(provider_a, listing):
    services.audit_request(user=provider_a, listing=listing)
    with pytest.raises(ValidationError):
        services.audit_request(user=provider_a, listing=listing)


def test_scheduling_needs_a_date_two_ready_auditors_and_a_supporting_adult(
    coordinator, listing, ruby
):
    audit = services.audit_request(user=coordinator, listing=listing)
    untrained = make_auditor("lee", "Lee", trained=False)
    with pytest.raises(ValidationError) as error:
        services.audit_schedule(
            user=coordinator,
            audit=audit,
            visit_date=today() - datetime.timedelta(days=1),
            auditors=[ruby],
            supporting_adult=" ",
            expected_status=S.REQUESTED,
        )
    assert set(error.value.message_dict) == {"visit_date", "auditors", "supporting_adult"}
    with pytest.raises(ValidationError) as error:
        services.audit_schedule(
            user=coordinator,
            audit=audit,
            visit_date=today(),
            auditors=[ruby, untrained],
            supporting_adult="Mel",
            expected_status=S.REQUESTED,
        )
    assert "Lee" in str(error.value.message_dict["auditors"])
    audit.refresh_from_db()
    assert audit.status == S.REQUESTED


def test_an_under_16_needs_parental_consent_before_a_visit(coordinator, listing, ruby):
    young = make_auditor("ava", "Ava", age_band="14-15", parental_consent_on=None)
    young.parental_consent_on = None
    young.save()
    assert not young.ready_for_visits()
    audit = services.audit_request(user=coordinator, listing=listing)
    with pytest.raises(ValidationError):
        services.audit_schedule(
            user=coordinator,
            audit=audit,
            visit_date=today(),
            auditors=[ruby, young],
            supporting_adult="Mel",
            expected_status=S.REQUESTED,
        )


def test_scheduling_tells_the_auditors_and_the_provider(
    coordinator, listing, auditors, provider_a, mailoutbox, django_capture_on_commit_callbacks
):
    audit = services.audit_request(user=coordinator, listing=listing)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.audit_schedule(
            user=coordinator,
            audit=audit,
            visit_date=today(),
            auditors=auditors,
            supporting_adult="Mel",
            expected_status=S.REQUESTED,
        )
    recipients = {a for m in mailoutbox for a in m.to}
    assert {"ruby@example.org", "kai@example.org", "provider-a@example.org"} <= recipients
    assert audit.assignments.count() == 2


@pytest.mark.parametrize(
    "status",
    [
        S.REQUESTED,
        S.SCHEDULED,
        S.IN_PROGRESS,
        S.SUBMITTED,
        S.WITH_PANEL,
        S.AWARDED,
        S.NOT_YET,
        S.WITHDRAWN,
        S.CANCELLED,
    ],
)
def test_every_state_is_reached_through_the_services_with_an_event_for_each_move(
    status, coordinator, listing, auditors
):
    audit = audit_to(status, listing=listing, coordinator=coordinator, auditors=auditors)
    assert audit.status == status
    events = list(audit.events.all())
    assert events[-1].to_status == status
    for earlier, later in zip(events, events[1:], strict=False):
        assert later.from_status == earlier.to_status


ALL_MOVES = [(a, b) for a in S.values for b in S.values]


@pytest.mark.parametrize(
    "start",
    [
        S.REQUESTED,
        S.SCHEDULED,
        S.IN_PROGRESS,
        S.SUBMITTED,
        S.WITH_PANEL,
        S.AWARDED,
        S.NOT_YET,
        S.CANCELLED,
    ],
)
def test_every_illegal_move_is_refused_and_changes_nothing(start, coordinator, listing, auditors):
    audit = audit_to(start, listing=listing, coordinator=coordinator, auditors=auditors)
    events = audit.events.count()
    for to in S.values:
        if (start, to) in AUDIT_TABLE:
            continue
        with pytest.raises(TransitionRefused, match="cannot move") as refused:
            services.audit_transition(
                user=coordinator, audit=audit, to=to, expected_status=start, note="x"
            )
        assert refused.value.code == "illegal"
        audit.refresh_from_db()
        assert audit.status == start
    assert audit.events.count() == events


def test_moves_for_the_product_only_are_refused_to_people(coordinator, listing, auditors):
    audit = audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    for to in (S.RENEWAL_DUE, S.EXPIRED, S.RENEWED):
        with pytest.raises(TransitionRefused, match="You cannot move this audit"):
            services.audit_transition(user=coordinator, audit=audit, to=to)


def test_a_provider_can_cancel_their_own_request_but_not_schedule_it(provider_a, listing, ruby):
    audit = services.audit_request(user=provider_a, listing=listing)
    with pytest.raises(TransitionRefused, match="You cannot move this audit"):
        services.audit_transition(user=provider_a, audit=audit, to=S.SCHEDULED)
    with pytest.raises(TransitionRefused, match="Say why"):  # a reason is needed
        services.audit_transition(user=provider_a, audit=audit, to=S.CANCELLED)
    services.audit_transition(user=provider_a, audit=audit, to=S.CANCELLED, note="Closed in May")
    assert audit.status == S.CANCELLED


def test_an_auditor_cannot_move_an_audit(coordinator, listing, auditors, ruby):
    audit = audit_to(S.SUBMITTED, listing=listing, coordinator=coordinator, auditors=auditors)
    with pytest.raises(TransitionRefused, match="You cannot move this audit"):
        services.audit_transition(user=ruby.user, audit=audit, to=S.WITH_PANEL)


def test_two_people_acting_at_once_cannot_lose_an_update(coordinator, listing, auditors):
    audit = audit_to(S.WITH_PANEL, listing=listing, coordinator=coordinator, auditors=auditors)
    seen_by_second = Audit.objects.get(pk=audit.pk)  # both open the panel page
    services.audit_decide(
        user=coordinator,
        audit=audit,
        decision=services.Decision(awarded=True, reasons="Great"),
        expected_status=S.WITH_PANEL,
    )
    with pytest.raises(TransitionRefused, match="Someone else has changed this audit"):
        services.audit_decide(
            user=coordinator,
            audit=seen_by_second,
            decision=services.Decision(
                awarded=False,
                reasons="No",
                advice="x",
                reaudit_due_on=today() + datetime.timedelta(days=30),
            ),
            expected_status=S.WITH_PANEL,
        )
    audit.refresh_from_db()
    assert audit.status == S.AWARDED
    assert audit.events.filter(to_status__in=[S.AWARDED, S.NOT_YET]).count() == 1


def test_an_award_lasts_24_months_by_default_and_sets_the_listing_status(
    coordinator, listing, auditors
):
    received = []

    def receiver(sender, listing_ids, **kwargs):
        received.append(listing_ids)

    listing_status_changed.connect(receiver)
    try:
        audit = audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    finally:
        listing_status_changed.disconnect(receiver)
    assert audit.awarded_on == today()
    assert audit.expires_on == add_months(today(), 24)
    status = ListingStatus.objects.get(listing_id=listing.pk)
    assert (status.kitemark_awarded_on, status.kitemark_expires_on) == (
        audit.awarded_on,
        audit.expires_on,
    )
    assert status.kitemarked()
    assert [listing.pk] in received


def test_the_award_period_is_configurable(coordinator, listing, auditors, settings):
    settings.KITEMARK_AWARD_MONTHS = 12
    audit = audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    assert audit.expires_on == add_months(today(), 12)


def test_not_yet_needs_advice_and_a_future_reaudit_date(coordinator, listing, auditors):
    audit = audit_to(S.WITH_PANEL, listing=listing, coordinator=coordinator, auditors=auditors)
    with pytest.raises(ValidationError) as error:
        services.audit_decide(
            user=coordinator,
            audit=audit,
            decision=services.Decision(awarded=False, reasons=" ", reaudit_due_on=today()),
            expected_status=S.WITH_PANEL,
        )
    assert set(error.value.message_dict) == {"reasons", "advice", "reaudit_due_on"}


def test_not_yet_records_advice_training_and_leaves_no_badge(coordinator, listing, auditors):
    audit = audit_to(S.NOT_YET, listing=listing, coordinator=coordinator, auditors=auditors)
    assert audit.advice and audit.improvement_actions and audit.training_offered
    assert audit.reaudit_due_on > today()
    assert not ListingStatus.objects.get(listing_id=listing.pk).kitemarked()


def test_a_reaudit_follows_the_earlier_decision(coordinator, provider_a, listing, auditors):
    first = audit_to(S.NOT_YET, listing=listing, coordinator=coordinator, auditors=auditors)
    again = services.audit_request(user=provider_a, listing=listing)
    assert again.previous == first


def test_withdrawing_removes_the_badge_at_once_and_needs_a_reason(coordinator, listing, auditors):
    audit = audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    with pytest.raises(ValidationError):
        services.audit_withdraw(user=coordinator, audit=audit, note="", expected_status=S.AWARDED)
    services.audit_withdraw(
        user=coordinator, audit=audit, note="Complaint upheld", expected_status=S.AWARDED
    )
    status = ListingStatus.objects.get(listing_id=listing.pk)
    assert status.kitemark_expires_on is None and not status.kitemarked()


def test_renewal_due_three_months_before_expiry_then_expired(coordinator, listing, auditors):
    audit = audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    with freeze_time(add_months(audit.expires_on, -3) - datetime.timedelta(days=1)):
        assert services.awards_refresh() == {"renewal_due": 0, "expired": 0}
    with freeze_time(add_months(audit.expires_on, -3)):
        assert services.awards_refresh()["renewal_due"] == 1
        assert services.awards_refresh()["renewal_due"] == 0  # idempotent
    audit.refresh_from_db()
    assert audit.status == S.RENEWAL_DUE
    assert ListingStatus.objects.get(listing_id=listing.pk).kitemarked()  # still current
    with freeze_time(audit.expires_on + datetime.timedelta(days=1)):
        assert services.awards_refresh()["expired"] == 1
    audit.refresh_from_db()
    assert audit.status == S.EXPIRED
    status = ListingStatus.objects.get(listing_id=listing.pk)
    assert status.kitemark_awarded_on is None and status.kitemark_expires_on is None


def test_a_renewal_award_replaces_the_earlier_one(coordinator, listing, auditors):
    first = audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    with freeze_time(add_months(first.expires_on, -2)):
        services.awards_refresh()
        for auditor in auditors:  # their yearly refresher training
            auditor.training_completed_on = today()
            auditor.save()
        second = audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
        first.refresh_from_db()
        assert first.status == S.RENEWED
        assert second.previous == first
        status = ListingStatus.objects.get(listing_id=listing.pk)
        assert status.kitemark_expires_on == second.expires_on


def test_audit_events_are_append_only(coordinator, listing):
    audit = services.audit_request(user=coordinator, listing=listing)
    event = audit.events.get()
    event.note = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).note == ""


def test_disagreeing_auditors_still_reach_the_panel(coordinator, listing, auditors):
    audit = audit_to(
        S.SUBMITTED,
        listing=listing,
        coordinator=coordinator,
        auditors=auditors,
        ratings=(Rating.YES, Rating.NOT_YET),
    )
    assert audit.status == S.SUBMITTED


def test_nobody_moves_an_audit_anonymously(coordinator, listing, auditors):
    audit = audit_to(S.SCHEDULED, listing=listing, coordinator=coordinator, auditors=auditors)
    with pytest.raises(TransitionRefused, match="Only a person can move this audit"):
        services.audit_transition(user=None, audit=audit, to=S.IN_PROGRESS)
