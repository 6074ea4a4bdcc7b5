"""Supply figures against the hand-counted directory of conftest.py. A row is:
listings, places now, hours a week now, DBS-verified, kitemarked, up to date, space now."""

import pytest

from directory.models import Need

from .conftest import service_type
from .helpers import DASHBOARD, rows, sign_in, tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def supply(client, moderator, listings):
    sign_in(client, moderator)

    def get(**params):
        return tables(client.get(DASHBOARD, params))

    return get


def test_by_kind_counts_published_listings_capacity_and_shares(supply):
    table = supply()["supply-kind"]
    assert rows(table) == {
        "Short break services": [3, 6, 0, 0, 1, 2, 2],
        "Personal assistants": [1, 0, 10, 1, 0, 1, 1],
        "Inclusive clubs and activities": [1, 6, 0, 0, 0, 1, 1],
        "All kinds": [5, 12, 10, 1, 1, 4, 4],
    }
    assert table.summary == (
        "There are 5 listings in the directory (3 short break services, 1 personal "
        "assistant, 1 inclusive club or activity); 4 have space now."
    )


def test_by_service_type_lists_every_type_with_zeros(supply):
    table = rows(supply()["supply-service-type"])
    assert table[service_type("day-care")] == [3, 6, 0, 0, 1, 2, 2]
    assert table[service_type("youth-club")] == [1, 6, 0, 0, 0, 1, 1]
    assert table[service_type("support-at-home")] == [1, 0, 10, 1, 0, 1, 1]
    assert table[service_type("support-to-go-out")] == [1, 0, 10, 1, 0, 1, 1]
    zero_rows = [name for name, row in table.items() if row[0] == 0]
    assert zero_rows, "types nobody offers are shown, with 0"
    assert all(table[name] == [0, 0, 0, 0, 0, 0, 0] for name in zero_rows)


def test_by_need(supply):
    table = rows(supply()["supply-need"])
    name = dict(Need.objects.values_list("slug", "name"))
    # autism: sb1, pa, club, city
    assert table[name["autism"]] == [4, 12, 10, 1, 1, 4, 4]
    assert table[name["learning-disability"]] == [1, 4, 0, 0, 1, 1, 1]
    assert table[name["physical-disability"]] == [1, 0, 0, 0, 0, 0, 0]
    assert table[name["complex-health-needs"]] == [1, 0, 10, 1, 0, 1, 1]
    assert table[name["adhd"]] == [1, 6, 0, 0, 0, 1, 1]
    assert table[name["hearing-impairment"]] == [0, 0, 0, 0, 0, 0, 0]


def test_by_age_band_a_listing_counts_in_every_band_it_overlaps(supply):
    table = rows(supply()["supply-age"])
    assert table == {
        "0-4": [1, 0, 0, 0, 0, 0, 0],  # sb2
        "5-10": [2, 4, 10, 1, 1, 2, 2],  # sb1, pa
        "11-15": [3, 10, 10, 1, 1, 3, 3],  # sb1, pa, club
        "16-18": [4, 12, 10, 1, 1, 4, 4],  # sb1, pa, club, city
        "19-25": [2, 2, 10, 1, 0, 2, 2],  # pa, city
    }
    assert supply()["supply-age"].summary.startswith("Ages 0-4 have the fewest listings (1)")


def test_by_time_slot(supply):
    table = supply()["supply-times"]
    assert rows(table) == {
        "Weekday daytime": [2, 0, 10, 1, 0, 1, 1],  # sb2 (Mon 9-17), pa (no times)
        "Evenings (open after 6pm)": [1, 6, 0, 0, 0, 1, 1],  # club
        "Weekends": [3, 6, 10, 1, 1, 3, 3],  # sb1 Sat, pa Sat, city Sun
        "School holidays": [4, 12, 10, 1, 1, 4, 4],  # all but sb2
        "Overnight": [1, 0, 0, 0, 0, 0, 0],  # sb2
    }
    assert table.summary == (
        "1 listing is open in the evening, 3 at weekends, 4 in school holidays and 1 overnight."
    )


def test_a_listing_that_leaves_the_directory_leaves_the_figures(supply, listings):
    from directory.models import ListingStatus

    ListingStatus.objects.filter(listing=listings["club"]).update(assured_date="2000-01-01")
    assert rows(supply()["supply-kind"])["All kinds"][0] == 4


def test_the_query_count_does_not_grow_with_the_listings(client, moderator, listings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.directory import InclusiveClubPageFactory, PersonalAssistantPageFactory

    sign_in(client, moderator)
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as before:
        client.get(DASHBOARD)
    InclusiveClubPageFactory()
    PersonalAssistantPageFactory(dbs=True)
    with CaptureQueriesContext(connection) as after:
        response = client.get(DASHBOARD)
    assert rows(tables(response)["supply-kind"])["All kinds"][0] == 7
    assert len(after.captured_queries) == len(before.captured_queries)
