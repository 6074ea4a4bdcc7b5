"""A personal assistant works from home: nothing in the open data may give away their street
or full postcode, nor place them more precisely than their postcode district."""

import json

from geopy.distance import great_circle

from gazetteer.models import Postcode
from openref.geography import district_centre
from tests.factories.directory import PersonalAssistantPageFactory, gazetteer_postcode

from .conftest import API, PA_STREET

PROXIMITIES = [50, 200, 1000, 2000, 3000, 5000, 8000, 12000, 20000, 50000]


def probes(*postcodes):
    """Places to search from: the PA's own postcode, their neighbours, and towns around."""
    found = list(postcodes)
    for outcode in ("NE46", "NE47", "NE45", "NE61", "NE1"):
        found += [gazetteer_postcode(n, outcode) for n in (0, 11, 23)]
    return list(dict.fromkeys(found))


def body(response) -> str:
    assert response.status_code == 200, response.content[:300]
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def every_answer(client, pa, probe_postcodes):
    """Every endpoint, every shape, and the postcode searches."""
    org = pa.organisation
    paths = [
        ("/services", {"full": "true"}),
        ("/services", {"minimal": "true"}),
        ("/services", {"format": "ndjson"}),
        ("/services", {"search": "Sam"}),
        (f"/services/{pa.uuid}", {}),
        ("/service_at_locations", {"full": "true"}),
        ("/service_at_locations", {"format": "ndjson", "full": "true"}),
        ("/organizations", {"full_service": "true"}),
        ("/organizations", {"format": "ndjson", "full_service": "true"}),
        (f"/organizations/{org.uuid}", {"full_service": "true"}),
        ("/taxonomies", {}),
        ("/taxonomy_terms", {"per_page": "100"}),
    ]
    for path, params in paths:
        yield path, params, body(client.get(API + path, params))
    services = json.loads(body(client.get(f"{API}/services/{pa.uuid}")))
    sal = services["service_at_locations"][0]["id"]
    yield "sal", {}, body(client.get(f"{API}/service_at_locations/{sal}"))
    for postcode in probe_postcodes:
        for path in ("/services", "/service_at_locations"):
            yield (
                path,
                {"postcode": postcode},
                body(client.get(API + path, {"postcode": postcode, "full": "true"})),
            )
            for proximity in PROXIMITIES:
                params = {"postcode": postcode, "proximity": proximity, "full": "true"}
                yield path, params, body(client.get(API + path, params))
            params = {"postcode": postcode, "proximity": 20000, "format": "ndjson"}
            yield path, params, body(client.get(API + path, params))


def secrets_of(pa) -> list[str]:
    row = Postcode.objects.get(postcode=pa.postcode)
    compact = pa.postcode.replace(" ", "")
    return [
        pa.postcode.lower(),
        compact.lower(),
        PA_STREET.lower(),
        "acacia",
        four_decimals(row.latitude),
        four_decimals(row.longitude),
    ]


def four_decimals(number: float) -> str:
    text = repr(number)
    return text[: text.index(".") + 5]


def test_no_endpoint_gives_away_a_personal_assistants_home(client, published):
    pa = published["pa"]
    secrets = secrets_of(pa)
    answers = 0
    for path, params, text in every_answer(client, pa, probes(pa.postcode)):
        answers += 1
        lowered = text.lower()
        for secret in secrets:
            assert secret not in lowered, f"{path} {params} gives away {secret!r}"
        assert '"distance' not in lowered, f"{path} {params} reports a distance"
    assert answers > 300


def test_proximity_searches_cannot_tell_two_assistants_in_one_district_apart(client, published):
    """Searching from anywhere, at any distance, finds both PAs of a district or neither: the
    answer depends on the district, never on where in it they live."""
    first = published["pa"]
    second = PersonalAssistantPageFactory(
        title="Jo B., personal assistant", postcode=gazetteer_postcode(41, "NE46")
    )
    assert first.postcode != second.postcode
    centre = district_centre("NE46")
    ids = {str(first.uuid), str(second.uuid)}
    for postcode in probes(first.postcode, second.postcode):
        origin = Postcode.objects.get(postcode=postcode)
        for proximity in PROXIMITIES:
            found = client.get(
                f"{API}/services",
                {"postcode": postcode, "proximity": proximity, "minimal": "true", "per_page": 1000},
            ).json()
            present = ids & {s["id"] for s in found["contents"]}
            assert present in (set(), ids), (postcode, proximity)
            expected = great_circle((origin.latitude, origin.longitude), centre).meters
            assert bool(present) == (expected <= proximity), (postcode, proximity)
        covering = client.get(f"{API}/services", {"postcode": postcode, "minimal": "true"}).json()
        present = ids & {s["id"] for s in covering["contents"]}
        assert present in (set(), ids), postcode


def test_a_personal_assistant_is_placed_at_their_district_centre(client, published):
    pa = published["pa"]
    service = client.get(f"{API}/services/{pa.uuid}").json()
    location = service["service_at_locations"][0]["location"]
    assert (location["latitude"], location["longitude"]) == district_centre("NE46")
    (address,) = location["addresses"]
    assert address["postal_code"] == "NE46"
    assert address["address_1"] == "Based in the NE46 area"
