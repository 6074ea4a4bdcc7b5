"""The request's state machine and the services that move it: every legal move, every illegal
one refused, the event log, two people acting at once, and who is told."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brokerage import services
from brokerage.choices import OfferStatus, Outcome, Role, Status, UnmatchedReason
from brokerage.models import (
    Affiliation,
    ContactShare,
    FamilyProfile,
    Offer,
    RequestEvent,
    RequestOutcome,
    SupportRequest,
)
from brokerage.workflow import OFFERS, REQUESTS
from core.dates import today
from core.workflow import TransitionRefused
from directory.models import FundingRoute, ListingPage
from search.models import UnmetDemand
from tests.factories.directory import PersonalAssistantPageFactory

from .conftest import accept, make_request, tomorrow

F, B, P, SYS = "family", "broker", "provider", "system"
# The request's table, written out here as the rule it is (docs/workflows/brokerage.md shows
# the same table): (from, to, who may make the move).
REQUEST_TABLE = {
    ("draft", "submitted"): {F},
    ("draft", "withdrawn"): {F},
    ("submitted", "assigned"): {B},
    ("submitted", "withdrawn"): {F, B},
    ("assigned", "submitted"): {B},
    ("assigned", "offers_sent"): {B},
    ("assigned", "unmatched"): {B},
    ("assigned", "withdrawn"): {F, B},
    ("offers_sent", "choosing"): {P},
    ("offers_sent", "assigned"): {B, SYS},
    ("offers_sent", "unmatched"): {B},
    ("offers_sent", "withdrawn"): {F, B},
    ("choosing", "agreeing"): {F},
    ("choosing", "assigned"): {F, B},
    ("choosing", "unmatched"): {B},
    ("choosing", "withdrawn"): {F, B},
    ("agreeing", "matched"): {F, P},
    ("agreeing", "assigned"): {B},
    ("agreeing", "withdrawn"): {F, B},
}
OFFER_TABLE = {
    ("sent", "accepted"): {P},
    ("sent", "declined"): {P},
    ("sent", "expired"): {SYS},
    ("sent", "withdrawn"): {SYS},
    ("accepted", "chosen"): {F},
    ("accepted", "not_chosen"): {F, SYS},
    ("accepted", "withdrawn"): {SYS},
    ("chosen", "withdrawn"): {B, SYS},
}
ALL = list(Status)
LEGAL = sorted((a, b, role) for (a, b), roles in REQUEST_TABLE.items() for role in roles)
ILLEGAL = [(a, b) for a in ALL for b in ALL if (a, b) not in REQUEST_TABLE]


def test_the_request_table_is_the_rule():
    table = {(move.source, move.target): set(move.roles) for move in REQUESTS.moves}
    assert table == REQUEST_TABLE


def test_the_offer_table_is_the_rule():
    assert {(m.source, m.target): set(m.roles) for m in OFFERS.moves} == OFFER_TABLE


def at_status(request, status, broker=None):
    """Put the request at `status`, assigned to `broker` once a broker would have it."""
    held = status not in (Status.DRAFT, Status.SUBMITTED)
    SupportRequest.objects.filter(pk=request.pk).update(
        status=status, broker=broker if held else None
    )
    request.refresh_from_db()
    return request


@pytest.fixture
def people(family, broker_ready, submitted):
    """One real person in each role on the request: its family, the broker for its area
    (assigned to it once it is past the queue) and a provider asked to help."""
    listing = PersonalAssistantPageFactory(dbs=True)
    provider = editor_of(listing)
    Offer.objects.create(
        request=submitted,
        listing=listing,
        organisation=listing.organisation,
        summary={},
        sent_by=broker_ready,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    return {F: family, B: broker_ready, P: provider}


def act(request, end, role, people, note="why"):
    if role == SYS:
        return REQUESTS.move(request, end, user=None, system=True, note=note)
    return REQUESTS.move(request, end, user=people[role], note=note)


@pytest.mark.parametrize(("start", "end"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(submitted, people, start, end):
    at_status(submitted, start, people[B])
    events = RequestEvent.objects.count()
    for role in (F, B, P, SYS):
        with pytest.raises(TransitionRefused, match="cannot move") as refused:
            act(submitted, end, role, people)
        assert refused.value.code == "illegal"
    submitted.refresh_from_db()
    assert submitted.status == start
    assert RequestEvent.objects.count() == events


@pytest.mark.parametrize(("start", "end", "role"), LEGAL)
def test_every_legal_transition_writes_an_event_with_who_when_from_to(
    submitted, people, start, end, role
):
    at_status(submitted, start, people[B])
    act(submitted, end, role, people)
    event = submitted.events.order_by("-pk").first()
    assert (event.from_status, event.to_status, event.role, event.note) == (start, end, role, "why")
    if role == SYS:
        assert event.actor is None
    else:
        assert event.actor == people[role]
    assert event.at is not None
    submitted.refresh_from_db()
    assert submitted.status == end


@pytest.mark.parametrize(
    ("start", "end", "role"),
    sorted((a, b, role) for (a, b), roles in REQUEST_TABLE.items() for role in {F, B, P} - roles),
)
def test_a_move_by_the_wrong_person_is_refused(submitted, people, start, end, role):
    at_status(submitted, start, people[B])
    with pytest.raises(TransitionRefused, match="You cannot move this request") as refused:
        act(submitted, end, role, people)
    assert refused.value.code == "forbidden"
    submitted.refresh_from_db()
    assert submitted.status == start


@pytest.mark.parametrize(
    ("start", "end"), sorted((a, b) for (a, b), roles in REQUEST_TABLE.items() if SYS not in roles)
)
def test_only_people_make_the_moves_the_product_may_not(submitted, people, start, end):
    at_status(submitted, start, people[B])
    with pytest.raises(TransitionRefused, match="Only a person can"):
        act(submitted, end, SYS, people)


def test_a_stranger_moves_nothing(submitted, people, make_family):
    stranger = make_family("stranger")
    with pytest.raises(TransitionRefused, match="You cannot move this request"):
        REQUESTS.move(submitted, Status.WITHDRAWN, user=stranger)


def test_events_are_append_only(submitted):
    event = submitted.events.first()
    event.note = "rewritten"
    with pytest.raises(ValueError):
        event.save()


def test_two_brokers_assigning_at_once_one_wins_and_the_other_is_told_who(
    submitted, broker_ready, other_broker
):
    seen_by_both = submitted.status
    services.request_assign(user=broker_ready, request=submitted, expected_status=seen_by_both)
    stale_copy = SupportRequest.objects.get(pk=submitted.pk)
    with pytest.raises(TransitionRefused) as refused:
        services.request_assign(user=other_broker, request=stale_copy, expected_status=seen_by_both)
    assert "Someone else has changed this request" in refused.value.messages[0]
    assert "broker" in refused.value.messages[0]  # names who has it
    submitted.refresh_from_db()
    assert submitted.broker == broker_ready
    assert submitted.events.filter(to_status=Status.ASSIGNED).count() == 1


def test_a_broker_must_accept_the_code_of_conduct_before_taking_requests(submitted, broker):
    with pytest.raises(PermissionDenied, match="code of conduct"):
        services.request_assign(user=broker, request=submitted)


def test_a_broker_cannot_take_a_request_outside_their_areas(submitted, broker):
    services.code_of_conduct_accept(user=broker)
    with pytest.raises(PermissionDenied, match="council areas"):
        services.request_assign(user=broker, request=submitted)


def test_a_broker_is_never_assigned_a_request_involving_a_provider_they_are_affiliated_with(
    assigned, broker_ready, other_broker
):
    listing = PersonalAssistantPageFactory(dbs=True)
    services.candidate_add(user=broker_ready, request=assigned, listing=listing)
    services.request_release(user=broker_ready, request=assigned)
    services.affiliation_declare(
        user=other_broker, organisation=listing.organisation, nature="My sister runs it"
    )
    with pytest.raises(TransitionRefused, match="affiliation"):
        services.request_assign(user=other_broker, request=assigned)


def test_a_broker_cannot_offer_to_a_provider_they_are_affiliated_with(assigned, broker_ready):
    listing = PersonalAssistantPageFactory(dbs=True)
    Affiliation.objects.create(broker=broker_ready, organisation=listing.organisation, nature="x")
    with pytest.raises(TransitionRefused, match="affiliation"):
        services.offers_send(user=broker_ready, request=assigned, listings=[listing])


def test_a_family_cannot_send_a_request_with_answers_missing(family, northumberland):
    draft = services.draft_create(user=family)
    with pytest.raises(ValidationError) as error:
        services.request_submit(user=family, request=draft)
    assert "Give your postcode" in error.value.messages


def test_a_young_person_asking_for_themself_must_be_16_or_over(family, northumberland):
    draft = make_request(family, submit=False, requester="young_person", age=15)
    with pytest.raises(ValidationError, match="16 or over"):
        services.request_submit(user=family, request=draft)


def test_the_next_request_starts_from_what_the_family_told_us_last_time(submitted, family):
    assert FamilyProfile.objects.get(user=family).contact_name == "Leila Khan"
    again = services.draft_create(user=family)
    assert again.status == Status.DRAFT
    assert again.age == 12 and again.postcode_sector == submitted.postcode_sector
    assert list(again.needs.values_list("slug", flat=True)) == ["autism"]
    assert again.hourly_budget == Decimal("18.00")


def test_only_a_family_account_can_start_a_request(broker):
    with pytest.raises(PermissionDenied):
        services.draft_create(user=broker)


def test_answers_cannot_change_once_a_request_is_sent(submitted, family):
    with pytest.raises(TransitionRefused):
        services.draft_save(user=family, request=submitted, values={"age": 9})


def test_submitting_tells_the_family_and_the_brokers_for_the_area(
    family, broker_ready, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_request(family)
    recipients = {tuple(m.to) for m in mailoutbox}
    assert (family.email,) in recipients and (broker_ready.email,) in recipients
    assert broker_ready.notifications.filter(kind="brokerage_new_request").exists()


# --- Offers to agreement ---------------------------------------------------------------------


@pytest.fixture
def two_offers(assigned, broker_ready):
    first = PersonalAssistantPageFactory(dbs=True)
    second = PersonalAssistantPageFactory(dbs=True)
    offers = services.offers_send(user=broker_ready, request=assigned, listings=[first, second])
    return offers


def editor_of(listing):
    from directory.services import organisation_add_editor
    from tests.helpers import make_user

    user = make_user(f"editor-{listing.organisation.slug}"[:30])
    organisation_add_editor(organisation=listing.organisation, user=user)
    return user


def test_the_whole_journey_from_offers_to_a_confirmed_agreement(
    two_offers, assigned, broker_ready, family, mailoutbox, django_capture_on_commit_callbacks
):
    first, second = two_offers
    assigned.refresh_from_db()
    assert assigned.status == Status.OFFERS_SENT
    assert "Leila" not in str(first.summary) and "NE46 3NR" not in str(first.summary)
    assert first.summary["age_band"] == "11-15" and first.summary["area"].startswith("NE46")
    provider_one, provider_two = editor_of(first.listing), editor_of(second.listing)
    accept(first, provider_one, rate="16.00")
    assigned.refresh_from_db()
    assert assigned.status == Status.CHOOSING
    accept(second, provider_two, rate="15.00")
    assert not ContactShare.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.offer_choose(user=family, offer=first)
    first.refresh_from_db(), second.refresh_from_db(), assigned.refresh_from_db()
    assert (assigned.status, first.status, second.status) == (
        Status.AGREEING,
        OfferStatus.CHOSEN,
        OfferStatus.NOT_CHOSEN,
    )
    share = ContactShare.objects.get()
    assert share.organisation == first.organisation and share.purpose
    assert any(provider_one.email in m.to for m in mailoutbox)

    capacity = ListingPage.objects.get(pk=first.listing_id).capacity_now
    agreement = services.agreement_draft(
        user=broker_ready,
        request=assigned,
        hours_per_week=Decimal("6"),
        rate=Decimal("16"),
        funding=FundingRoute.objects.get(slug="direct-payment"),
        start_date=tomorrow(),
    )
    assert agreement.review_date.month != agreement.start_date.month  # six months on
    services.agreement_confirm(user=family, agreement=agreement)
    assigned.refresh_from_db()
    assert assigned.status == Status.AGREEING
    from directory.signals import listing_status_changed

    told = []

    def search_told(sender, listing_ids, **kwargs):
        told.extend(listing_ids)

    listing_status_changed.connect(search_told)
    try:
        services.agreement_confirm(user=provider_one, agreement=agreement)
    finally:
        listing_status_changed.disconnect(search_told)
    assigned.refresh_from_db()
    assert assigned.status == Status.MATCHED and assigned.closed_at
    assert ListingPage.objects.get(pk=first.listing_id).capacity_now == capacity - 6
    assert first.listing_id in told  # the search index follows the new capacity
    assert RequestOutcome.objects.get(request=assigned).outcome == Outcome.MATCHED


def test_a_family_cannot_choose_an_offer_the_provider_has_not_accepted(two_offers, family):
    with pytest.raises(TransitionRefused):
        services.offer_choose(user=family, offer=two_offers[0])


def test_a_provider_cannot_answer_another_providers_offer(two_offers, provider_a):
    with pytest.raises(PermissionDenied):
        accept(two_offers[0], provider_a)


def test_a_provider_cannot_accept_with_bad_hours_rate_or_start_date(two_offers):
    offer = two_offers[0]
    user = editor_of(offer.listing)
    with pytest.raises(ValidationError) as error:
        services.offer_accept(
            user=user,
            offer=offer,
            proposed_hours=Decimal("0"),
            rate=Decimal("-1"),
            start_date=today() - datetime.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"proposed_hours", "rate", "start_date"}


def test_when_every_provider_declines_the_request_goes_back_to_the_broker(two_offers, assigned):
    for offer in two_offers:
        services.offer_decline(user=editor_of(offer.listing), offer=offer, reason="no_capacity")
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED
    assert assigned.events.filter(role=Role.SYSTEM, to_status=Status.ASSIGNED).exists()


def test_a_decline_needs_a_reason_code(two_offers):
    with pytest.raises(ValidationError):
        services.offer_decline(
            user=editor_of(two_offers[0].listing), offer=two_offers[0], reason="because"
        )


def test_offers_expire_after_the_configured_time_and_cannot_then_be_answered(
    two_offers, assigned, settings
):
    from django.utils import timezone

    later = timezone.now() + datetime.timedelta(days=settings.BROKERAGE_OFFER_EXPIRY_DAYS + 1)
    assert services.offers_expire(now=later) == 2
    assigned.refresh_from_db()
    assert assigned.status == Status.ASSIGNED
    offer = two_offers[0]
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    with pytest.raises(TransitionRefused):
        accept(offer, editor_of(offer.listing))


def test_no_suitable_provider_is_recorded_as_unmet_demand_with_reason_codes(assigned, broker_ready):
    services.request_close_unmatched(
        user=broker_ready,
        request=assigned,
        reasons=[UnmatchedReason.TIMES, UnmatchedReason.NO_CAPACITY, "free text"],
    )
    demand = UnmetDemand.objects.get(source="brokerage")
    assert demand.reasons == "times,no_capacity"
    assert demand.outcode == "NE46" and demand.age_band == "11-15" and demand.days == "sat"
    outcome = RequestOutcome.objects.get()
    assert outcome.outcome == Outcome.UNMATCHED and outcome.reasons == "times,no_capacity"


def test_closing_unmatched_needs_a_reason(assigned, broker_ready):
    with pytest.raises(ValidationError):
        services.request_close_unmatched(user=broker_ready, request=assigned, reasons=[])


def test_a_withdrawn_request_keeps_an_anonymous_outcome(submitted, family):
    services.request_withdraw(user=family, request=submitted)
    assert RequestOutcome.objects.get().outcome == Outcome.WITHDRAWN


def test_only_the_assigned_broker_acts_on_a_request(assigned, other_broker):
    with pytest.raises(PermissionDenied):
        services.request_release(user=other_broker, request=assigned)
    with pytest.raises(PermissionDenied):
        services.first_contact_record(user=other_broker, request=assigned)


def test_first_contact_stops_the_service_level_clock(assigned, broker_ready):
    from django.utils import timezone

    late = timezone.now() + datetime.timedelta(days=10)
    assert assigned.first_contact_overdue(late)
    services.first_contact_record(user=broker_ready, request=assigned, note="Phoned")
    assigned.refresh_from_db()
    assert not assigned.first_contact_overdue(late)
