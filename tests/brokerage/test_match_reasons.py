"""Every constraint the family gave is in a listing's reasons, marked met, not met or not
known; the score is explained in words; a listing the broker adds by hand is always shown,
with what it fails."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from brokerage import services
from brokerage.match_reasons import MET, NOT_MET, UNKNOWN
from brokerage.matching import match
from directory.choices import CostUnit
from directory.models import Skill
from tests.factories.directory import (
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


def scored(result, listing):
    rows = [*result.candidates, *result.near_misses]
    found = [row for row in rows if row.listing_id == listing.pk]
    assert found, f"{listing.title} is not shown"
    return found[0]


def states(row) -> dict[str, str]:
    return {check.topic: check.state for check in row.checks}


def test_a_candidate_added_by_hand_failing_two_requirements_appears_with_both(
    assigned, broker_ready
):
    weekdays_no_dbs = pa(title="Weekdays, no DBS", days=weekdays(1), dbs=False)
    assert weekdays_no_dbs.pk not in [r.listing_id for r in match(assigned).near_misses]
    services.candidate_add(user=broker_ready, request=assigned, listing=weekdays_no_dbs)
    [row] = match(assigned, broker=broker_ready).candidates
    assert row.title == "Weekdays, no DBS" and row.by_hand
    assert "No Saturday availability" in row.failures
    assert any("DBS" in failure for failure in row.failures)


def test_a_candidate_added_by_hand_is_shown_even_outside_the_age_and_kind_asked(
    assigned, broker_ready
):
    too_young = pa(title="Under fives", age_min=0, age_max=4)
    services.candidate_add(user=broker_ready, request=assigned, listing=too_young)
    [row] = match(assigned, broker=broker_ready).candidates
    assert "Supports ages 0 to 4; the child is 12" in row.failures
    assert states(row)["Age"] == NOT_MET


def test_the_broker_sees_the_added_candidate_and_what_it_fails(client, assigned, broker_ready):
    weekdays_no_dbs = pa(title="Weekdays, no DBS", days=weekdays(1), dbs=False)
    client.force_login(broker_ready)
    url = reverse("brokerage_admin:matching", args=[assigned.pk])
    response = client.post(url, {"action": "add", "listing_id": str(weekdays_no_dbs.pk)})
    page = client.get(response["Location"]).content.decode()
    assert "Weekdays, no DBS added as a candidate" in page
    candidates = page.split("Near misses")[0]
    assert "Weekdays, no DBS" in candidates and "Added by you" in candidates
    assert "Not met: No Saturday availability" in candidates
    assert "Not met: No verified, current DBS check" in candidates


def test_age_holidays_and_budget_are_in_the_reasons(family, northumberland):
    req = make_request(family, term_time=True, school_holidays=True)
    fits = pa(title="Fits")
    no_holidays = pa(title="Term only", school_holidays=False)
    result = match(req)
    row = scored(result, fits)
    assert states(row)["Age"] == MET and "Age 12: supports ages 5 to 25" in row.reasons
    assert states(row)["Term time"] == MET and states(row)["School holidays"] == MET
    assert "£15.50 an hour, within the £18.00 budget" in row.reasons
    assert states(row)["Budget"] == MET
    assert states(scored(result, no_holidays))["School holidays"] == NOT_MET


def test_a_price_not_per_hour_leaves_the_budget_unknown(family, northumberland):
    req = make_request(family)
    by_session = pa(cost_unit=CostUnit.SESSION, cost_amount=Decimal("40"))
    row = scored(match(req), by_session)
    assert states(row)["Budget"] == UNKNOWN
    assert "Cost per hour not known (£40.00 per session); the budget is £18.00" in row.concerns


def test_over_budget_is_not_met_and_weighed(family, northumberland):
    req = make_request(family, hourly_budget=Decimal("12"))
    listing = pa()
    row = scored(match(req), listing)
    assert states(row)["Budget"] == NOT_MET
    assert "−15 for being over the budget" in row.score_explained


@pytest.mark.parametrize(
    "notes, skills_on_listing, expected",
    [
        ("Needs help with toileting and medication at lunchtime.", ("personal-care",), MET),
        ("Needs help with toileting and medication at lunchtime.", ("makaton",), UNKNOWN),
    ],
)
def test_personal_care_and_medication_in_the_familys_words_are_matched_and_shown(
    family, northumberland, notes, skills_on_listing, expected
):
    req = make_request(family, care_and_health=notes)
    listing = pa(skills=taxonomy(Skill, *skills_on_listing))
    row = scored(match(req), listing)
    assert states(row)["Personal care"] == expected
    assert states(row)["Medication"] == UNKNOWN
    assert any(
        check.words.startswith("Medication: the family's notes mention it") for check in row.checks
    )


def test_medication_training_asked_for_is_met_by_a_trained_listing(family, northumberland):
    req = make_request(family, skills=taxonomy(Skill, "medication"))
    trained = pa(skills=taxonomy(Skill, "medication"))
    untrained = pa(skills=taxonomy(Skill, "makaton"))
    result = match(req)
    assert states(scored(result, trained))["Medication"] == MET
    assert states(scored(result, untrained))["Medication"] == NOT_MET


def test_not_knowing_the_way_of_paying_is_shown_as_unknown(family, northumberland):
    req = make_request(family, funding=None, funding_unknown=True)
    listing = pa()
    row = scored(match(req), listing)
    assert states(row)["Paying"] == UNKNOWN


def test_the_score_is_explained_in_words(family, northumberland):
    req = make_request(family)
    listing = pa(capacity_now=None)
    row = scored(match(req), listing)
    words = row.score_explained
    assert words.startswith("100 to start with")
    assert "+5 for being within the budget" in words
    assert "−5 capacity not stated" in words
    total = sum(points for points, _ in row.score_parts)
    assert round(total, 1) == round(row.score, 1)


def test_the_matching_screen_explains_each_score(client, assigned, broker_ready):
    pa(title="Sam")
    client.force_login(broker_ready)
    page = client.get(reverse("brokerage_admin:matching", args=[assigned.pk])).content.decode()
    assert "100 to start with" in page and "Met: Age 12: supports ages 5 to 25" in page


def distance_cells(page: str) -> dict[str, str]:
    """The matching table's Distance column, by listing title."""
    rows = re.findall(
        r'<label for="ask-\d+">([^<]+)</label>.*?</td>\s*<td>[^<]*</td>\s*<td>([^<]*)</td>',
        page,
        flags=re.DOTALL,
    )
    return {title: cell.strip() for title, cell in rows}


def test_the_matching_screen_says_distances_as_people_do_and_a_persons_only_as_a_band(
    client, assigned, broker_ready
):
    """A venue's distance has its unit and no stray ".0" ("12 miles away", never "12.0
    miles"); a personal assistant's is a band from their district's centre, so the matching
    screen cannot place their home either."""
    venue = ShortBreakServicePageFactory(title="Venue club")
    city_pa = pa(title="City PA", postcode=gazetteer_postcode(0, "NE1"), travel_radius_miles=2)
    services.candidate_add(user=broker_ready, request=assigned, listing=city_pa)
    services.candidate_add(user=broker_ready, request=assigned, listing=venue)
    client.force_login(broker_ready)
    page = client.get(reverse("brokerage_admin:matching", args=[assigned.pk])).content.decode()
    cells = distance_cells(page)
    assert re.fullmatch(
        r"(less than 0\.1 miles|about 0\.\d miles|1 mile|\d+ miles) away", cells["Venue club"]
    ), cells
    assert re.fullmatch(r"\d+ to \d+ miles away|more than \d+ miles away", cells["City PA"]), cells
