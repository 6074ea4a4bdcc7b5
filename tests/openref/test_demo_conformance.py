"""With the demo data, as a council would first publish it, every endpoint the ORUK validator
reads answers its schema with something in it: no empty feed, no null or empty field."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from .conftest import API, assert_no_nulls, assert_valid

pytestmark = pytest.mark.django_db

LISTS = {
    "/services": "service_list.json",
    "/service_at_locations": "service_at_location_list.json",
    "/organizations": "organization_list.json",
    "/taxonomies": "taxonomy_list.json",
    "/taxonomy_terms": "taxonomy_term_list.json",
}


@pytest.fixture
def demo(directory):
    call_command("seed_demo", seed=5, listings=40, stdout=StringIO())


def answer(client, path, **params):
    response = client.get(API + path, params)
    assert response.status_code == 200, (path, response.content[:300])
    data = response.json()
    assert_no_nulls(data)
    return data


def test_every_list_of_the_demo_directory_is_full_and_valid(client, demo):
    for path, schema in LISTS.items():
        for params in ({}, {"full": "true"}):
            if path.startswith("/taxonom") and params:
                continue
            data = answer(client, path, per_page=100, **params)
            assert_valid(data, schema)
            assert data["total_items"] > 0 and data["contents"], f"{path} is empty"


def test_every_demo_service_organisation_and_term_is_valid_alone(client, demo):
    stream = client.get(API + "/services", {"format": "ndjson"})
    services = [json.loads(line) for line in b"".join(stream.streaming_content).splitlines()]
    assert len(services) >= 20
    for service in services:
        assert_no_nulls(service)
        assert_valid(service, "service.json")
        assert service["service_at_locations"] and service["attributes"]
    organisations = answer(client, "/organizations", per_page=100)["contents"]
    for organisation in organisations:
        detail = answer(client, f"/organizations/{organisation['id']}", full_service="true")
        assert_valid(detail, "organization.json")
        assert detail["services"], f"{organisation['name']} is published with no service"
    for taxonomy in answer(client, "/taxonomies")["contents"]:
        detail = answer(client, f"/taxonomies/{taxonomy['id']}")
        assert_valid(detail, "taxonomy.json")
    terms = answer(client, "/taxonomy_terms", per_page=100)["contents"]
    for term in terms:
        assert_valid(answer(client, f"/taxonomy_terms/{term['id']}"), "taxonomy_term.json")
