"""Pages and streams read their listings in batches (`queries.nest`, `join_organisations`):
the same JSON as reading one service at a time, in a number of queries that does not grow with
the directory (`manage.py bench_openref` measures the time at 100,000 listings)."""

import random
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from directory.models import AccessFeature, FundingRoute, Language, ListingPage
from gazetteer.models import LocalAuthority
from openref import pagination, queries
from openref.ids import derived
from tests.factories.directory import ShortBreakServicePageFactory, gazetteer_postcode

from .conftest import API, ndjson


def published_ids(rows) -> set[int]:
    return set(rows.values_list("pk", flat=True))


def test_published_listings_are_the_directory_s(published):
    assert published_ids(queries.published()) == published_ids(ListingPage.objects.in_directory())
    hidden = published["breaks"][0]
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    found = published_ids(queries.published())
    assert found == published_ids(ListingPage.objects.in_directory())
    assert hidden.pk not in found and published["club"].pk in found


def with_every_relation(published):
    """Give the listings languages, ways of paying, access features and councils served."""
    councils = list(LocalAuthority.objects.order_by("code")[:3])
    for n, listing in enumerate([*published["breaks"], published["club"], published["pa"]]):
        listing.languages.set(Language.objects.order_by("pk")[: n % 3 + 1])
        listing.funding_accepted.set(FundingRoute.objects.order_by("-pk")[: n % 2 + 1])
        listing.access_features.set(AccessFeature.objects.order_by("pk")[n : n + 2])
        listing.served_local_authorities.set(councils[: n % 4])
        listing.save()


def test_a_streamed_or_listed_service_is_the_service_read_alone(client, published, monkeypatch):
    with_every_relation(published)
    monkeypatch.setattr(pagination.chunks, "__defaults__", (2,))  # batches of two
    streamed = ndjson(client.get(f"{API}/services", {"format": "ndjson"}))
    listed = client.get(f"{API}/services", {"full": "true", "per_page": 3, "page": 2}).json()
    assert len(streamed) == 5 and listed["size"] == 2
    alone = {
        service["id"]: client.get(f"{API}/services/{service['id']}").json() for service in streamed
    }
    assert {service["id"]: service for service in streamed} == alone
    for service in listed["contents"]:
        assert service == alone[service["id"]]
    assert any(len(service.get("service_areas", [])) > 1 for service in streamed)
    assert any(len(service.get("languages", [])) > 1 for service in streamed)


def test_a_listed_service_has_its_organisation(client, published):
    basic = client.get(f"{API}/services", {"per_page": 10}).json()["contents"]
    alone = {s["id"]: client.get(f"{API}/services/{s['id']}").json() for s in basic}
    for service in basic:
        assert service["organization"] == alone[service["id"]]["organization"]
        assert service == {key: alone[service["id"]][key] for key in service}


def count_queries(client, path, params) -> int:
    with CaptureQueriesContext(connection) as queries_run:
        response = client.get(f"{API}{path}", params)
        if response.streaming:
            ndjson(response)
    return len(queries_run.captured_queries)


def test_the_queries_do_not_grow_with_the_directory(client, published, org_a):
    with_every_relation(published)
    asked = [
        ("/services", {"format": "ndjson"}),
        ("/services", {"full": "true"}),
        ("/services", {"per_page": 50, "page": 1}),
        ("/service_at_locations", {"full": "true"}),
    ]
    for path, params in asked:
        count_queries(client, path, params)  # district centres and the like, read once
    before = [count_queries(client, path, params) for path, params in asked]
    for n in range(10):
        ShortBreakServicePageFactory(
            organisation=org_a, title=f"Holiday club {n}", postcode=gazetteer_postcode(n, "NE47")
        )
    for path, params in asked:
        count_queries(client, path, params)
    after = [count_queries(client, path, params) for path, params in asked]
    assert after == before, asked


def test_a_derived_id_is_uuid5_of_the_parent(db):
    rng = random.Random(5)
    for _ in range(2000):
        parent = uuid.UUID(int=rng.getrandbits(128))
        parts = rng.sample(
            ["location", "attribute", 7, "ü:ß", parent, "", "x" * 90], k=rng.randint(0, 3)
        )
        expected = str(uuid.uuid5(parent, ":".join(str(part) for part in parts)))
        assert derived(parent, *parts) == expected
        assert derived(str(parent), *parts) == expected
