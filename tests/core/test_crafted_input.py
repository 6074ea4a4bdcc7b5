"""Whatever anyone puts in a URL or a form, the site answers with a page or a clear refusal,
never a server error: other scripts' digits ("²", "٣"), numbers too big for any database
integer, NUL bytes, long strings and wrong types, in every parameter of the public search,
the shortlist and the report form, and in every id a page reads from a form."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.parsing import MAX_ID, parse_id, parse_ids
from tests.factories.directory import InclusiveClubPageFactory
from tests.helpers import postcode_in
from tests.strategies import hostile as values

pytestmark = pytest.mark.django_db

SEARCH_PARAMETERS = [
    "postcode",
    "place",
    "mode",
    "radius",
    "kind",
    "type",
    "age",
    "need",
    "skill",
    "funding",
    "day",
    "open_at",
    "when",
    "overnight",
    "max_cost",
    "language",
    "access",
    "verified_dbs",
    "kitemarked",
    "free",
    "has_space",
    "q",
    "sort",
    "page",
]


def answered(response) -> None:
    assert response.status_code < 500, response.status_code


@pytest.fixture
def club(directory, org_a):
    return InclusiveClubPageFactory(organisation=org_a, postcode=postcode_in("NE46 3"))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(SEARCH_PARAMETERS), value=values)
def test_any_value_in_any_search_parameter_gets_a_page_not_a_server_error(
    client, club, name, value
):
    answered(client.get("/search/", {"postcode": postcode_in("NE46 3"), name: value}))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ids=st.lists(values, max_size=5).map(",".join))
def test_any_shared_shortlist_link_gets_a_page(client, club, ids):
    answered(client.get(reverse("search:shortlist_shared"), {"ids": ids}))
    answered(client.post(reverse("search:shortlist_save_shared"), {"ids": ids}))


@pytest.mark.parametrize(
    "path",
    [
        "/listing/99999999999999999999/report/",
        "/listing/9223372036854775808/report/",
        "/search/shortlist/add/99999999999999999999/",
    ],
)
def test_ids_too_big_for_the_database_are_not_found(client, directory, path):
    response = client.post(path, {"reason": "other", "details": "x"})
    assert response.status_code == 404


def test_search_with_a_huge_day_or_page_is_a_page(client, club):
    for name in ("day", "page", "age", "need", "radius"):
        answered(client.get("/search/", {"postcode": postcode_in("NE46 3"), name: "9" * 40}))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("²", None),
        ("٣", None),
        ("1²", None),
        ("0", None),
        ("-3", None),
        ("", None),
        (None, None),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 40, None),
        ("12\x00", None),
    ],
)
def test_an_id_is_plain_digits_that_fit_a_database_key(text, expected):
    assert parse_id(text) == expected


def test_ids_keep_their_order_without_repeats_or_anything_else():
    assert parse_ids(["3", "²", "1", "3", "x", "2"]) == [3, 1, 2]
