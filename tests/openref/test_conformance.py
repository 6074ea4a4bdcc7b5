"""Every endpoint answers what the Open Referral UK 3.0 schemas say, with only published
listings, no nulls, and ids that are stable UUIDs."""

import datetime
import re

import pytest

from directory.models import ListingPage

from .conftest import API, assert_no_nulls, assert_valid, ndjson

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def get(client, path, **params):
    response = client.get(API + path, params)
    assert response.status_code == 200, (path, response.status_code, response.content[:500])
    assert response["Access-Control-Allow-Origin"] == "*"
    if response.streaming:
        return response
    data = response.json()
    assert_no_nulls(data)
    return data


def assert_service(service):
    """A fully nested service: the schema, and the parts the service schema leaves loose."""
    assert_valid(service, "service.json")
    assert TIMESTAMP.match(service["last_modified"])
    for contact in service.get("contacts", []):
        for phone in contact.get("phones", []):
            assert_valid(phone, "phone.json")
    for sal in service["service_at_locations"]:
        assert_valid(sal["location"], "location.json")


def test_api_details_names_the_profile_and_its_openapi_document(client, db):
    data = get(client, "/")
    assert_valid(data, "api_details.json")
    assert data["version"] == "HSDS-UK-3.0"
    assert data["openapi_url"] == "http://testserver/api/openreferral/openapi.json"
    document = get(client, "/openapi.json")
    assert document["servers"] == [{"url": "http://testserver/api/openreferral"}]
    assert "/services/{id}" in document["paths"]


def test_every_endpoint_answers_its_schema_with_published_listings_only(client, published):
    names = {"Saturday club 0", "Saturday club 1", "Saturday club 2", "Friday youth club"}
    names.add("Sam R., personal assistant")

    services = get(client, "/services")
    assert_valid(services, "service_list.json")
    assert {s["name"] for s in services["contents"]} == names  # no draft, nothing expired
    full = get(client, "/services", full="true")
    assert_valid(full, "service_list.json")
    for service in full["contents"]:
        assert_service(service)
    minimal = get(client, "/services", minimal="true")
    assert_valid(minimal, "service_list.json")
    assert set(minimal["contents"][0]) == {"id", "name", "status", "last_modified"}

    for service in services["contents"]:
        detail = get(client, f"/services/{service['id']}")
        assert_service(detail)
        assert detail["organization"]["id"] == service["organization_id"]

    sals = get(client, "/service_at_locations")
    assert_valid(sals, "service_at_location_list.json")
    assert len(sals["contents"]) == 5
    assert_valid(get(client, "/service_at_locations", full="true"), "service_at_location_list.json")
    for sal in sals["contents"]:
        detail = get(client, f"/service_at_locations/{sal['id']}")
        assert_valid(detail, "service_at_location.json")
        assert detail["service_id"] == sal["service_id"]

    organisations = get(client, "/organizations")
    assert_valid(organisations, "organization_list.json")
    # The PA's own organisation and the two providers; none without a published listing.
    assert len(organisations["contents"]) == 3
    for flag in ({}, {"full": "true"}, {"full_service": "true"}):
        assert_valid(get(client, "/organizations", **flag), "organization_list.json")
    for organisation in organisations["contents"]:
        detail = get(client, f"/organizations/{organisation['id']}", full_service="true")
        assert_valid(detail, "organization.json")
        for service in detail["services"]:
            assert_service(service)
        assert_valid(get(client, f"/organizations/{organisation['id']}"), "organization.json")

    taxonomies = get(client, "/taxonomies")
    assert_valid(taxonomies, "taxonomy_list.json")
    for taxonomy in taxonomies["contents"]:
        assert_valid(get(client, f"/taxonomies/{taxonomy['id']}"), "taxonomy.json")
    terms = get(client, "/taxonomy_terms", per_page=100)
    assert_valid(terms, "taxonomy_term_list.json")
    for term in terms["contents"][:20]:
        assert_valid(get(client, f"/taxonomy_terms/{term['id']}"), "taxonomy_term.json")


def test_a_service_carries_its_assured_date_badges_and_taxonomy_terms(client, published):
    club = published["club"]
    data = get(client, f"/services/{club.uuid}")
    assert data["assured_date"] == club.status.assured_date.isoformat()
    values = {a["taxonomy_term"]["name"]: a.get("value") for a in data["attributes"]}
    assert values["Kitemark"].startswith("Kitemark awarded, valid until")
    assert values["DBS check: no dbs check recorded"] == "No DBS check recorded"
    assert {"Inclusive club or activity", "Youth club", "Autism", "Quiet room"} <= set(values)
    pa = get(client, f"/services/{published['pa'].uuid}")
    assert "Enhanced DBS check with children's barred list, verified" in pa["accreditations"]
    certificate = published["pa"].staff_member.dbs_checks.get().certificate_number
    assert certificate not in str(pa)


def test_ids_are_stable_uuids_never_database_ids(client, published):
    first = get(client, "/services", full="true")
    again = get(client, "/services", full="true")
    assert first == again
    listing = ListingPage.objects.get(pk=published["club"].pk)
    assert str(listing.uuid) in {s["id"] for s in first["contents"]}

    def ids(data):
        if isinstance(data, dict):
            for key, value in data.items():
                if key == "id" or key.endswith("_id"):
                    yield value
                yield from ids(value)
        elif isinstance(data, list):
            for item in data:
                yield from ids(item)

    assert all(UUID.match(value) for value in ids(first))


@pytest.mark.parametrize("per_page", [2])
def test_pages_first_middle_and_last(client, published, per_page):
    seen = []
    pages = [get(client, "/services", page=n, per_page=per_page) for n in (1, 2, 3)]
    for page in pages:
        assert_valid(page, "service_list.json")
        assert (page["total_items"], page["total_pages"]) == (5, 3)
        seen += [s["id"] for s in page["contents"]]
    first, middle, last = pages
    assert (first["page_number"], first["first_page"], first["last_page"]) == (1, True, False)
    assert (middle["page_number"], middle["first_page"], middle["last_page"]) == (2, False, False)
    assert (last["page_number"], last["first_page"], last["last_page"]) == (3, False, True)
    assert [p["size"] for p in pages] == [2, 2, 1]
    assert not any(p["empty"] for p in pages)
    assert len(set(seen)) == 5
    beyond = get(client, "/services", page=4, per_page=per_page)
    assert_valid(beyond, "service_list.json")
    assert beyond["contents"] == [] and beyond["empty"] is True and beyond["last_page"] is True


def test_ndjson_streams_every_service_without_pages(client, published):
    response = get(client, "/services", format="ndjson", per_page=1)
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = ndjson(response)
    assert len(lines) == 5
    for service in lines:
        assert_no_nulls(service)
        assert_service(service)
    for path in ("/service_at_locations", "/organizations", "/taxonomies", "/taxonomy_terms"):
        rows = ndjson(get(client, path, format="ndjson"))
        assert rows and all("id" in row for row in rows)


def test_filters_by_taxonomy_organisation_date_and_search(client, published, org_b):
    youth_club = next(t for t in get(client, "/taxonomy_terms", search="youth club")["contents"])
    found = get(client, "/services", taxonomy_term_id=youth_club["id"])
    assert [s["name"] for s in found["contents"]] == ["Friday youth club"]
    kinds = get(client, "/taxonomies", search="kinds")["contents"][0]
    assert get(client, "/services", taxonomy_id=kinds["id"])["total_items"] == 5
    kitemark = get(client, "/taxonomy_terms", search="kitemark")["contents"][0]
    assert [
        s["name"] for s in get(client, "/services", taxonomy_term_id=kitemark["id"])["contents"]
    ] == ["Friday youth club"]
    by_org = get(client, "/services", organization_id=str(org_b.uuid))
    assert [s["name"] for s in by_org["contents"]] == ["Friday youth club"]
    assert get(client, "/services", search="saturday")["total_items"] == 3
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    assert get(client, "/services", modified_after=tomorrow)["total_items"] == 0
    assert get(client, "/services", modified_after="2020-01-01T00:00:00Z")["total_items"] == 5
    unknown = "00000000-0000-4000-8000-000000000000"
    assert get(client, "/services", taxonomy_term_id=unknown)["total_items"] == 0
    terms = get(client, "/taxonomy_terms", taxonomy_id=kinds["id"])
    assert terms["total_items"] == 3
    assert get(client, "/taxonomy_terms", parent_id=unknown)["total_items"] == 0


def test_postcode_and_proximity(client, published):
    venue = published["club"]
    near = get(client, "/services", postcode=venue.postcode, proximity=100)
    assert "Friday youth club" in {s["name"] for s in near["contents"]}
    covering = get(client, "/service_at_locations", postcode=venue.postcode)
    assert_valid(covering, "service_at_location_list.json")


@pytest.mark.parametrize(
    "path",
    [
        "/services/00000000-0000-4000-8000-000000000000",
        "/services/not-a-uuid",
        "/services/1",
        "/service_at_locations/00000000-0000-4000-8000-000000000000",
        "/organizations/abc/def",
        "/taxonomies/00000000-0000-4000-8000-000000000000",
        "/taxonomy_terms/%00",
    ],
)
def test_unknown_ids_are_a_json_404(client, db, path):
    response = client.get(API + path)
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["status"] == 404


def test_the_api_is_read_only(client, db):
    for method in (client.post, client.put, client.delete):
        response = method(f"{API}/services")
        assert response.status_code == 405
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response.json()["status"] == 405
    head = client.head(f"{API}/services")
    assert head.status_code == 200 and head["Access-Control-Allow-Origin"] == "*"


def test_unpublished_listings_are_404(client, published):
    for listing in (published["draft"], published["expired"]):
        assert client.get(f"{API}/services/{listing.uuid}").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"},
        {"per_page": "-1"},
        {"page": "9" * 50},
        {"full": "maybe"},
        {"format": "xml"},
        {"taxonomy_term_id": "nope"},
        {"modified_after": "yesterday"},
        {"postcode": "SW1A 1AA\x00"},
        {"postcode": "ZZ99 9ZZ"},
        {"proximity": "1000"},
        {"postcode": "NE46 1AA", "proximity": "NaN"},
        {"search": "x" * 1000},
    ],
)
def test_bad_parameters_are_a_json_400(client, db, query):
    response = client.get(API + "/services", query)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["status"] == 400 and body["errors"]
