"""Ids stay put through revisions and migrations; a stream reads the directory in chunks."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import (
    AccessFeature,
    FundingRoute,
    Language,
    ListingPage,
    Need,
    ServiceType,
    Skill,
)
from openref import pagination

from .conftest import API, ndjson


def test_reference_data_seeded_before_ids_existed_has_one_id_a_row(db):
    for model in (ServiceType, Need, Skill, AccessFeature, Language, FundingRoute):
        ids = list(model.objects.values_list("uuid", flat=True))
        assert ids and None not in ids
        assert len(set(ids)) == len(ids), model.__name__


def test_publishing_a_revision_written_before_ids_existed_keeps_the_id(published):
    listing = published["breaks"][0]
    before = ListingPage.objects.get(pk=listing.pk).uuid
    revision = listing.save_revision()
    revision.content.pop("uuid", None)
    revision.save(update_fields=["content"])
    revision.publish()
    assert ListingPage.objects.get(pk=listing.pk).uuid == before


def test_a_copied_listing_gets_its_own_id(published):
    listing = published["breaks"][0]
    copy = listing.copy(update_attrs={"slug": "a-copy", "title": "A copy"})
    assert copy.uuid != listing.uuid


def test_a_stream_reads_the_directory_a_chunk_at_a_time(client, published, monkeypatch):
    monkeypatch.setattr(pagination, "CHUNK", 2)
    monkeypatch.setattr(pagination.chunks, "__defaults__", (2,))
    response = client.get(f"{API}/services", {"format": "ndjson"})
    with CaptureQueriesContext(connection) as queries:
        lines = ndjson(response)
    assert len(lines) == 5
    reads = [q["sql"] for q in queries.captured_queries if "LIMIT 2" in q["sql"]]
    assert len(reads) >= 3  # 2 + 2 + 1 rows, then an empty read
