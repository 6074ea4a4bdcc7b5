"""The search engine's copy of the directory: one document per live, public listing.

Every live public listing is indexed, whatever its dates: whether the public may see it
(freshness, DBS grace period) is decided at query time from the indexed `assured_date` and
`dbs_lapsed_on` (see `search.backends.engine.visibility_filters`), so a listing drops out of
the results on the day it should, without anyone reindexing.

Reads go through an alias, `settings.SEARCH_INDEX_PREFIX + "listings"`; `rebuild` fills a new
index and swaps the alias to it, so searches keep working while it runs.
"""

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.utils import timezone
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    GeoPoint,
    Index,
    Integer,
    Keyword,
    Long,
    Text,
    normalizer,
)

from directory.models import ListingPage, ListingStatus

from .engine_client import EngineClient, get_client
from .query import FACETS

# Lucene refuses a keyword term longer than 32,766 bytes; lowercasing can lengthen a little.
MAX_SEARCH_TEXT_BYTES = 32_000

lowercase = normalizer("lowercase", filter=["lowercase"])


class ListingDocument(Document):
    """The mapping. Built with elasticsearch-dsl; `index_body()` sends it to either engine."""

    title = Text(fields={"raw": Keyword()})
    summary = Text()
    description = Text()
    # Title, summary and description together, lowercased: the "contains each word" match that
    # the embedded backend makes with icontains (a wildcard query on this field).
    search_text = Keyword(normalizer=lowercase)
    kind = Keyword()
    location = GeoPoint()
    at_venue = Boolean()
    comes_to_family = Boolean()
    online = Boolean()
    travel_radius_miles = Integer()
    local_authority_code = Keyword()
    served_areas = Keyword()  # codes of the local authorities served, whatever the distance
    service_types = Keyword()
    needs = Keyword()
    skills = Keyword()
    funding = Keyword()
    languages = Keyword()
    access_features = Keyword()
    days = Integer()  # ISO weekday numbers
    age_min = Integer()
    age_max = Integer()
    time_from = Integer()  # seconds after midnight
    time_to = Integer()
    term_time = Boolean()
    school_holidays = Boolean()
    overnight = Boolean()
    cost_unit = Keyword()
    cost_pence = Long()
    capacity_now = Integer()
    dbs_status = Keyword()
    assured_date = Date(format="strict_date")
    dbs_lapsed_on = Date(format="strict_date")
    closed_on = Date(format="strict_date")
    kitemark_expires_on = Date(format="strict_date")


def alias_name() -> str:
    return getattr(settings, "SEARCH_INDEX_PREFIX", "") + "listings"


def index_body() -> dict:
    index = Index(alias_name())
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(ListingDocument)
    return index.to_dict()


def indexable():
    """What the engine holds: live, public listings (dates are checked at query time)."""
    return (
        ListingPage.objects.live()
        .public()
        .select_related("status")
        .prefetch_related(*FACETS.values(), "days", "served_local_authorities")
        .order_by("pk")
    )


def seconds(value: datetime.time | None) -> int | None:
    if value is None:
        return None
    return value.hour * 3600 + value.minute * 60 + value.second


def truncated(text: str, limit: int = MAX_SEARCH_TEXT_BYTES) -> str:
    return text.encode()[:limit].decode(errors="ignore")


def listing_document(listing: ListingPage) -> dict:
    """The document for one listing (best from `indexable()`, which prefetches)."""
    try:
        status = listing.status
    except ListingStatus.DoesNotExist:
        status = None
    location = None
    if listing.latitude is not None and listing.longitude is not None:
        location = {"lat": listing.latitude, "lon": listing.longitude}
    cost_pence = None
    if listing.cost_amount is not None:
        cost_pence = int((listing.cost_amount * 100).to_integral_value())
    doc = {
        "title": listing.title,
        "summary": listing.summary,
        "description": listing.description,
        # Joined by a newline: a search word never contains whitespace, so it cannot match
        # across two fields, just as it cannot in the database.
        "search_text": truncated(
            "\n".join([listing.title or "", listing.summary or "", listing.description or ""])
        ),
        "kind": listing.kind,
        "location": location,
        "at_venue": listing.at_venue,
        "comes_to_family": listing.comes_to_family,
        "online": listing.online,
        "travel_radius_miles": listing.travel_radius_miles,
        "local_authority_code": listing.local_authority_code,
        "served_areas": sorted(la.code for la in listing.served_local_authorities.all()),
        "days": sorted(day.pk for day in listing.days.all()),
        "age_min": listing.age_min,
        "age_max": listing.age_max,
        "time_from": seconds(listing.time_from),
        "time_to": seconds(listing.time_to),
        "term_time": listing.term_time,
        "school_holidays": listing.school_holidays,
        "overnight": listing.overnight,
        "cost_unit": listing.cost_unit,
        "cost_pence": cost_pence,
        "capacity_now": listing.capacity_now,
        "dbs_status": status.dbs_status if status else None,
        "assured_date": status.assured_date.isoformat() if status and status.assured_date else None,
        "dbs_lapsed_on": (
            status.dbs_lapsed_on.isoformat() if status and status.dbs_lapsed_on else None
        ),
        "closed_on": status.closed_on.isoformat() if status and status.closed_on else None,
        "kitemark_expires_on": (
            status.kitemark_expires_on.isoformat()
            if status and status.kitemark_expires_on
            else None
        ),
    }
    for field, relation in FACETS.items():
        doc[field] = sorted(item.slug for item in getattr(listing, relation).all())
    return doc


# --- keeping the index up to date --------------------------------------------------------------


def new_index_name() -> str:
    return f"{alias_name()}-{timezone.now():%Y%m%d%H%M%S%f}"


def ensure_index(client: EngineClient | None = None) -> str:
    """The alias, created (pointing at a new, empty index) if it does not exist yet."""
    client = client or get_client()
    alias = alias_name()
    if not client.alias_targets(alias) and not client.index_exists(alias):
        name = new_index_name()
        client.create_index(name, index_body())
        client.update_aliases([{"add": {"index": name, "alias": alias}}])
    return alias


def index_listing(listing: ListingPage | int, refresh: bool = False) -> bool:
    """Index one listing as it is now in the database, or remove it if it is no longer live
    and public. Returns whether it is in the index."""
    client = get_client()
    alias = ensure_index(client)
    pk = listing if isinstance(listing, int) else listing.pk
    current = indexable().filter(pk=pk).first()
    if current is None:
        client.delete_document(alias, str(pk))
    else:
        client.index_document(alias, str(pk), listing_document(current))
    if refresh:
        client.refresh(alias)
    return current is not None


def remove_listing(listing: ListingPage | int, refresh: bool = False) -> None:
    client = get_client()
    alias = ensure_index(client)
    pk = listing if isinstance(listing, int) else listing.pk
    client.delete_document(alias, str(pk))
    if refresh:
        client.refresh(alias)


def actions(index: str, listings: Iterable[ListingPage]):
    for listing in listings:
        yield {"_index": index, "_id": str(listing.pk), "_source": listing_document(listing)}


def rebuild(progress: Callable[[int, int], None] | None = None, chunk_size: int = 500) -> int:
    """Index every live public listing into a new index, then point the alias at it and drop
    the old one. `progress(done, total)` is called as documents are written. Returns the count.
    """
    client = get_client()
    alias = alias_name()
    name = new_index_name()
    client.create_index(name, index_body())
    listings = indexable()
    total = listings.count()
    done = 0
    if progress:
        progress(done, total)
    try:
        for ok, item in client.bulk(actions(name, listings.iterator(chunk_size)), chunk_size):
            if not ok:
                raise RuntimeError(f"Indexing failed: {item}")
            done += 1
            if progress and (done % chunk_size == 0 or done == total):
                progress(done, total)
        client.refresh(name)
    except Exception:
        client.delete_index(name)
        raise
    old = client.alias_targets(alias)
    if not old and client.index_exists(alias):  # a concrete index in the alias's place
        client.delete_index(alias)
    swap = [{"remove": {"index": index, "alias": alias}} for index in old]
    client.update_aliases(swap + [{"add": {"index": name, "alias": alias}}])
    for index in old:
        client.delete_index(index)
    return done


def drop_index() -> None:
    """Delete the alias and every index behind it (tests, and starting over)."""
    client = get_client()
    alias = alias_name()
    for index in client.alias_targets(alias):
        client.delete_index(index)
    client.delete_index(alias)
