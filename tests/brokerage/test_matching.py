"""Matching: hard constraints, soft scores, reasons for every candidate, and the one reason
each near miss fails."""

import datetime
import re
from decimal import Decimal

import pytest

from brokerage import services
from brokerage.matching import match
from core.dates import today
from directory.choices import OrganisationKind
from directory.models import FundingRoute, ListingPage, ListingStatus, Need, ServiceType
from gazetteer.models import LocalAuthority
from search.query import how_far
from tests.factories.directory import (
    InclusiveClubPageFactory,
    OrganisationFactory,
    PersonalAssistantPageFactory,
    ShortBreakServicePageFactory,
    gazetteer_postcode,
    taxonomy,
    weekdays,
)

from .conftest import make_request


def pa(**fields):
    fields.setdefault("dbs", True)
    return PersonalAssistantPageFactory(**fields)


@pytest.fixture
def req(family, northumberland):
    return make_request(family)


def titles(rows):
    return [r.title for r in rows]


def near(result, listing):
    found = [r for r in result.near_misses if r.listing_id == listing.pk]
    assert found, f"{listing.title} is not a near miss: {result}"
    return found[0]


def test_a_listing_meeting_every_hard_constraint_is_a_candidate_with_its_reasons(req):
    good = pa(title="Sam, PA in Hexham")
    result = match(req)
    assert titles(result.candidates) == ["Sam, PA in Hexham"]
    reasons = " | ".join(result.candidates[0].reasons)
    for words in (
        "Comes to you",
        "Supports Autism",
        "Available on Saturday",
        "Verified, current DBS",
        "Takes direct payment",
        "within the £18.00 budget",
    ):
        assert words in reasons
    assert result.candidates[0].listing_id == good.pk


def test_no_saturday_availability_is_a_near_miss_that_says_so(req):
    weekday_only = pa(days=weekdays(1, 2, 3))
    assert near(match(req), weekday_only).why_not == "No Saturday availability"


def test_anyone_working_alone_with_the_child_needs_a_verified_current_dbs(req):
    unverified = pa(dbs={"verified": False})
    none_at_all = pa(dbs=False)
    result = match(req)
    for listing in (unverified, none_at_all):
        assert "No verified, current DBS check" in near(result, listing).why_not


def test_a_lapsed_dbs_is_not_current(req):
    lapsed = pa(dbs={"lapsed_recently": True})
    assert "DBS" in near(match(req), lapsed).why_not


def test_a_provider_who_does_not_travel_far_enough_is_a_near_miss_with_the_distance(req):
    from search.query import haversine_miles

    haydon_bridge = pa(postcode=gazetteer_postcode(0, "NE47"), travel_radius_miles=1)
    haydon_bridge.refresh_from_db()  # placed at the centre of NE47, as every PA is
    apart = haversine_miles(
        req.latitude, req.longitude, haydon_bridge.latitude, haydon_bridge.longitude
    )
    short = max(1, int(apart) - 2)  # falls short of the family by two or three miles
    ListingPage.objects.filter(pk=haydon_bridge.pk).update(travel_radius_miles=short)
    why = near(match(req), haydon_bridge).why_not
    # A person's distance is a band from their district's centre, never tenths of a mile.
    assert why.startswith(f"Travels up to {short} miles; the family is {how_far(apart, True)}")
    assert not re.search(r"\d\.\d", why), why


def test_a_pas_reason_gives_a_band_with_its_unit_not_a_distance_to_the_tenth(req):
    pa(title="Sam, PA in Hexham", travel_radius_miles=25)
    reasons = " | ".join(match(req).candidates[0].reasons)
    assert re.search(
        r"Comes to you: travels up to 25 miles, the family is "
        r"(within 5 miles|\d+ to \d+ miles away|more than 20 miles away)",
        reasons,
    ), reasons
    assert not re.search(r"\d\.\d mile|you are \d", reasons), reasons


def test_a_provider_whose_radius_falls_well_short_of_the_family_is_not_considered(req):
    from django.conf import settings

    from search.query import haversine_miles

    newcastle = pa(postcode=gazetteer_postcode(0, "NE1"), travel_radius_miles=2)
    newcastle.refresh_from_db()
    apart = haversine_miles(req.latitude, req.longitude, newcastle.latitude, newcastle.longitude)
    assert apart > 2 + settings.BROKERAGE_NEAR_MISS_EXTRA_MILES  # beyond even a near miss
    result = match(req)
    shown = result.candidates + result.near_misses + result.excluded
    assert newcastle.pk not in [s.listing_id for s in shown]


def test_a_provider_serving_the_familys_council_counts_whatever_the_distance(req):
    far = pa(postcode=gazetteer_postcode(0, "NE1"), travel_radius_miles=1)
    far.served_local_authorities.set(LocalAuthority.objects.filter(code="E06000057"))
    far.save()  # a ParentalManyToManyField is written when the page is saved
    result = match(req)
    assert far.pk in [c.listing_id for c in result.candidates]
    assert "covers your council area" in " ".join(result.candidates[0].reasons)


def test_a_listing_failing_two_hard_constraints_is_neither_a_candidate_nor_a_near_miss(req):
    pa(days=weekdays(1), dbs=False)
    result = match(req)
    assert not result.candidates and not result.near_misses


def test_a_stale_listing_is_a_near_miss(req):
    stale = pa()
    ListingStatus.objects.filter(listing_id=stale.pk).update(
        assured_date=today() - datetime.timedelta(weeks=14)
    )
    assert "Not confirmed accurate since" in near(match(req), stale).why_not


def test_a_full_listing_is_a_near_miss(req):
    full = pa(capacity_now=0)
    assert near(match(req), full).why_not == "Full at the moment"


def test_the_way_of_paying_must_be_accepted(req):
    self_funded_only = pa(funding_accepted=taxonomy(FundingRoute, "self-funded"))
    assert near(match(req), self_funded_only).why_not == "Does not take direct payment"


def test_a_direct_payment_may_not_buy_what_the_council_rules_out(family, northumberland, settings):
    settings.BROKERAGE_DIRECT_PAYMENT_EXCLUDES = ["overnight-short-breaks"]
    request = make_request(family, support_kinds=["overnight"], days=weekdays(6))
    overnight = ShortBreakServicePageFactory(
        overnight=True,
        service_types=taxonomy(ServiceType, "overnight-short-breaks"),
        needs=taxonomy(Need, "autism"),
    )
    assert "council rule" in near(match(request), overnight).why_not
    settings.BROKERAGE_DIRECT_PAYMENT_EXCLUDES = []
    assert overnight.pk in [c.listing_id for c in match(request).candidates]


def test_a_direct_payment_may_not_buy_the_councils_own_services(req):
    council = OrganisationFactory(kind=OrganisationKind.COUNCIL, name="Council PA service")
    listing = pa(organisation=council)
    assert "council's own services" in near(match(req), listing).why_not


def test_age_and_kind_of_support_are_filtered_first(family, northumberland):
    request = make_request(family, support_kinds=["club"], age=7)
    InclusiveClubPageFactory(
        age_min=11,
        postcode=gazetteer_postcode(0, "NE46"),
        days=weekdays(6),
        needs=taxonomy(Need, "autism"),
    )
    pa()
    result = match(request)
    assert result.considered == 0


def test_a_kitemark_ranks_a_listing_higher_and_says_why(req):
    plain = pa(title="Plain PA")
    marked = pa(title="Kitemarked PA")
    ListingStatus.objects.filter(listing_id=marked.pk).update(
        kitemark_expires_on=today() + datetime.timedelta(days=100)
    )
    result = match(req)
    assert titles(result.candidates)[0] == "Kitemarked PA"
    assert "kitemark" in " ".join(result.candidates[0].reasons)
    assert plain.pk == result.candidates[1].listing_id


def test_cost_over_budget_and_a_preference_not_met_are_weighed_not_excluded(family, northumberland):
    request = make_request(family, pa_gender="male", hourly_budget=Decimal("12.00"))
    pa(cost_amount=Decimal("20.00"))
    [only] = match(request).candidates
    concerns = " | ".join(only.concerns)
    assert "over the £12.00 budget" in concerns and "You asked for a man" in concerns


def test_the_brokers_affiliated_provider_is_flagged_and_excluded(req, broker_ready):
    listing = pa()
    services.affiliation_declare(
        user=broker_ready, organisation=listing.organisation, nature="I work there on Saturdays"
    )
    result = match(req, broker=broker_ready)
    assert not result.candidates
    assert result.excluded[0].affiliated


def test_the_broker_can_remove_a_candidate_and_add_a_near_miss(assigned, broker_ready):
    good = pa(title="Good")
    weekday_only = pa(title="Weekdays", days=weekdays(1))
    services.candidate_remove(user=broker_ready, request=assigned, listing=good)
    services.candidate_add(user=broker_ready, request=assigned, listing=weekday_only)
    result = match(assigned, broker=broker_ready)
    assert titles(result.candidates) == ["Weekdays"]
    assert result.candidates[0].by_hand and result.candidates[0].failures
    assert result.excluded[0].removed and result.excluded[0].title == "Good"


def test_a_listing_out_of_the_directory_is_never_matched(req):
    draft = pa(live=False)
    assert draft.pk not in [c.listing_id for c in match(req).candidates]
    assert ListingPage.objects.filter(pk=draft.pk).exists()
