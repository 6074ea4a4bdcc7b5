"""Demand figures against conftest.py's unmet searches and brokerage requests. An unmet-search
row is: unmet searches, from searches, from brokerage requests."""

import pytest

from directory.models import Need
from gazetteer.models import LocalAuthority

from .conftest import DURHAM
from .helpers import DASHBOARD, rows, sign_in, tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(client, moderator, everything):
    sign_in(client, moderator)

    def get(**params):
        return tables(client.get(DASHBOARD, params))

    return get


def council(code):
    return LocalAuthority.objects.get(code=code).name


def test_unmet_searches_by_council_with_out_of_area_apart(figures):
    found = figures()
    assert rows(found["demand-council"]) == {
        "Newcastle upon Tyne": [2, 2, 0],
        "Northumberland": [4, 3, 1],
    }
    assert rows(found["demand-out-of-area"]) == {council(DURHAM): [1, 1, 0]}
    assert found["demand-council"].summary == (
        "7 searches found too little in all. 6 searches in the councils served found too little, "
        "most in Northumberland."
    )
    assert (
        found["demand-out-of-area"].summary
        == "1 search came from 1 council the site does not serve."
    )


def test_unmet_searches_by_need_age_and_day(figures):
    found = figures()
    name = dict(Need.objects.values_list("slug", "name"))
    need = rows(found["demand-need"])
    assert need[name["autism"]] == [4, 3, 1]
    assert need[name["adhd"]] == [1, 0, 1]
    assert need[name["learning-disability"]] == [1, 1, 0]
    assert need[name["hearing-impairment"]] == [0, 0, 0]
    assert need["No need given"] == [2, 2, 0]
    assert rows(found["demand-age"]) == {
        "Ages 0-4": [0, 0, 0],
        "Ages 5-10": [3, 3, 0],
        "Ages 11-15": [1, 0, 1],
        "Ages 16-18": [0, 0, 0],
        "Ages 19-25": [0, 0, 0],
        "No age given": [3, 3, 0],
    }
    days = rows(found["demand-days"])
    assert days["Saturday"] == [4, 3, 1]
    assert days["Sunday"] == [1, 0, 1]
    assert days["Monday"] == [0, 0, 0]
    assert days["No day given"] == [3, 3, 0]


def test_brokerage_requests_timings_declines_and_outcomes(figures):
    found = figures()
    assert rows(found["brokerage"]) == {
        "Sent to a broker": [3, None],
        "Still open": [1, None],
        "Matched (support agreed)": [1, None],
        "No suitable provider found": [1, None],
        "Withdrawn": [0, None],
        "Had a first offer sent to a provider": [2, 1.5],  # 2 days and 1 day
        "Reached an agreement": [1, 6.0],
    }
    assert found["brokerage"].summary == (
        "3 requests were sent in the period: 1 reached an agreed package, 1 closed without one "
        "and 1 is open."
    )
    declines = rows(found["brokerage-declines"])
    assert declines["No capacity at the moment"] == [1]
    assert declines["Cannot do the days or times"] == [1]
    assert sum(row[0] for row in declines.values()) == 2
    assert rows(found["brokerage-outcomes"]) == {
        "Matched": [1, 6],
        "No suitable provider": [1, 5],
        "Withdrawn": [0, None],
    }
    reasons = rows(found["brokerage-unmatched-reasons"])
    assert reasons["Providers are full"] == [1]
    assert reasons["Every provider asked declined"] == [1]
    assert sum(row[0] for row in reasons.values()) == 2
    assert rows(found["brokerage-reviews"]) == {
        "Going well": [1],
        "Some things need to change": [0],
        "Not going well": [0],
    }


def test_trends_by_month(figures):
    from core.dates import today

    table = figures()["trends"]
    assert len(table.rows) == 12
    assert table.rows[-1][0] == today().strftime("%B %Y")
    totals = [sum(row[i] for row in table.rows) for i in range(1, 5)]
    # 7 unmet searches in the period (one is 800 days old), 3 requests, 1 matched, 5 listings
    assert totals == [7, 3, 1, 5]
    assert table.rows[-1][1] == 7  # every search in the period was made today
    assert table.rows[-1][3] == 1 and table.rows[-1][4] == 5
