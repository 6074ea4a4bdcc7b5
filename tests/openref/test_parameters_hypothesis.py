"""Whatever a consumer sends, the API answers 200 or a JSON 400/404, never a server error.

Every query parameter of every list endpoint, and every path id, gets other scripts' digits,
huge numbers, NUL bytes, long strings, wrong types and near misses of good values.
"""

import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.strategies import huge_numbers, long_strings, unicode_digits, with_nul, wrong_types

from .conftest import API, assert_no_nulls, assert_valid

PARAMETERS = {
    "/services": [
        "search",
        "page",
        "per_page",
        "format",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "minimal",
        "full",
        "postcode",
        "proximity",
    ],
    "/service_at_locations": [
        "search",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "full",
        "page",
        "per_page",
        "format",
        "postcode",
        "proximity",
    ],
    "/organizations": ["search", "full_service", "full", "page", "per_page", "format"],
    "/taxonomies": ["search", "page", "per_page", "format"],
    "/taxonomy_terms": [
        "search",
        "page",
        "per_page",
        "format",
        "taxonomy_id",
        "top_only",
        "parent_id",
    ],
}
LIST_SCHEMAS = {
    "/services": "service_list.json",
    "/service_at_locations": "service_at_location_list.json",
    "/organizations": "organization_list.json",
    "/taxonomies": "taxonomy_list.json",
    "/taxonomy_terms": "taxonomy_term_list.json",
}
# Counted across the module, for the record: every case is one request.
CASES = {"requests": 0, "server_errors": 0}

near_misses = st.sampled_from(
    [
        "00000000-0000-4000-8000-000000000000",
        "00000000-0000-4000-8000-00000000000",
        "{00000000-0000-4000-8000-000000000000}",
        "urn:uuid:00000000-0000-4000-8000-000000000000",
        "0000000000004000800000000000000０",
        "2024-01-01",
        "2024-13-45T25:61:00Z",
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+23:59",
        "NE46 1AA",
        "ne461aa",
        "SW1A 1AA",
        "NE46",
        "ndjson",
        "json",
        "1",
        "0",
        "100000000",
    ]
)
values = st.one_of(
    st.text(max_size=40),
    unicode_digits,
    huge_numbers,
    with_nul,
    long_strings,
    wrong_types,
    near_misses,
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
HYPOTHESIS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def request(client, path, params=None):
    CASES["requests"] += 1
    try:
        response = client.get(path, params or {})
    except Exception:  # the test client re-raises what the view raised: a server error
        CASES["server_errors"] += 1
        raise
    assert response.status_code in (200, 400, 404), (path, params, response.status_code)
    if response.status_code >= 500:
        CASES["server_errors"] += 1
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


@pytest.mark.parametrize("endpoint", list(PARAMETERS))
def test_no_query_parameter_causes_a_server_error(client, published, endpoint):
    names = PARAMETERS[endpoint]

    @HYPOTHESIS
    @given(params=st.dictionaries(st.sampled_from(names), values, min_size=1, max_size=3))
    def check(params):
        response = request(client, API + endpoint, params)
        if response.streaming:
            text = b"".join(response.streaming_content).decode()
            for line in text.splitlines():
                assert_no_nulls(json.loads(line))
            return
        body = response.json()
        assert_no_nulls(body)
        if response.status_code == 200:
            assert_valid(body, LIST_SCHEMAS[endpoint])
        else:
            assert body["status"] == 400 and body["errors"]

    check()


@pytest.mark.parametrize(
    "endpoint",
    ["/services", "/service_at_locations", "/organizations", "/taxonomies", "/taxonomy_terms"],
)
def test_no_path_id_causes_a_server_error(client, published, endpoint):
    @HYPOTHESIS
    @given(identifier=values.filter(lambda text: text.strip()))
    def check(identifier):
        response = request(client, f"{API}{endpoint}/{quote(identifier, safe='')}")
        assert response.status_code == 404
        assert response.json()["status"] == 404

    check()


def test_every_case_was_answered_without_a_server_error():
    """Runs last in this module: the tally of the cases above."""
    print(f"\n{CASES['requests']} requests, {CASES['server_errors']} server errors")
    assert CASES["server_errors"] == 0
