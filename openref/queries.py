"""What the open data may read: published listings in the directory, and what they use.

The same visibility rule as the directory (`ListingPage.objects.in_directory()`): a draft, an
expired listing or one whose DBS check lapsed past the grace period is never published.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import OuterRef, Subquery

from directory.models import InclusiveClubPage, ListingPage, Organisation
from gazetteer.models import LocalAuthority

from .geography import is_personal_assistant, warm_district_centres

SERVICE_RELATIONS = (
    "service_types",
    "needs",
    "skills",
    "access_features",
    "languages",
    "funding_accepted",
    "days",
    "served_local_authorities",
)
PREFETCHED = "{}_published"  # where `nest` puts a relation's rows: see `related`


def published(on=None):
    """`ListingPage.objects.in_directory(on)`, read in primary-key order.

    Without statistics, SQLite answers the directory's join of each listing to its status by
    walking the status table's assured-date index (which nearly every listing passes) and
    reading each listing and page at random: 650 ms to count 100,000 listings. A condition on
    the primary key, always true, has it walk the listings, their pages and their statuses
    side by side in key order instead: about 45 ms, and a page or a chunk of a stream reads
    only the listings it needs (`manage.py bench_openref`)."""
    return ListingPage.objects.in_directory(on).filter(pk__gt=0)


def services(on=None):
    """Published listings with their status, the name of their council (`council_name`) and
    a club's inclusion support, part of its description (serializers.service_basic). Give a
    batch of them their organisations with `join_organisations`, and what a fully nested
    service reads besides with `nest`."""
    council = LocalAuthority.objects.filter(code=OuterRef("local_authority_code"))
    club = InclusiveClubPage.objects.filter(pk=OuterRef("pk"))
    return (
        published(on)
        .select_related("status")
        .annotate(
            council_name=Subquery(council.order_by().values("name")[:1]),
            # Subqueries, not joins: a count or a page's ids leaves them out altogether.
            inclusion_support=Subquery(club.order_by().values("inclusion_support")[:1]),
        )
    )


def join_organisations(listings) -> None:
    """Give a batch of listings their organisations with their provider pages: one query, and
    one object an organisation however many of its listings the batch holds (joining them to
    each listing made two more objects a listing, one a Wagtail page)."""
    ids = {listing.organisation_id for listing in listings if listing.organisation_id}
    found = Organisation.objects.select_related("provider_page").in_bulk(ids)
    for listing in listings:
        if listing.organisation_id in found:
            listing.organisation = found[listing.organisation_id]


def nest(listings, known: dict | None = None) -> None:
    """Read, for a batch of listings, all a fully nested service reads beyond the listing:
    its organisation (`join_organisations`), each many-to-many (see `related`) and the
    centres of the personal assistants' districts, a few queries for the whole batch.

    `known`: a dict kept for the length of a request that nests several batches, so that
    the rows listings link to (needs, skills, councils...: a few hundred in all) are read
    once, not once a batch."""
    listings = list(listings)
    join_organisations(listings)
    by_pk = {listing.pk: listing for listing in listings}
    for name in SERVICE_RELATIONS:
        field = ListingPage._meta.get_field(name)
        links = _links(field, list(by_pk))
        # Each row once, however many listings it is linked to (prefetch_related would make
        # an object a link: twenty a listing), in the order `.all()` gives.
        place = _linked_rows(field.related_model, {pk for _, pk in links}, known)
        linked = defaultdict(list)
        for listing_pk, row_pk in links:
            linked[listing_pk].append(place[row_pk])
        for pk, listing in by_pk.items():
            setattr(listing, PREFETCHED.format(name), [row for _, row in sorted(linked[pk])])
    warm_district_centres(
        listing.postcode_district for listing in listings if is_personal_assistant(listing)
    )


def _linked_rows(model, pks: set, known: dict | None) -> dict:
    """{pk: (place in `.all()`'s order, row)} for these rows of `model`: read with them, or
    the whole (small) table once for `known`."""
    if known is None:
        rows = model._default_manager.filter(pk__in=pks)
        return {row.pk: (index, row) for index, row in enumerate(rows)}
    place = known.get(model)
    if place is None or not pks <= place.keys():  # (or added since)
        rows = model._default_manager.all()
        place = known[model] = {row.pk: (index, row) for index, row in enumerate(rows)}
    return place


def _links(field, listing_ids: list[int]) -> list[tuple[int, int]]:
    """(listing id, row id) for each link of the many-to-many `field` from these listings.
    In SQL: the ORM takes four times as long to write the query for 200 ids as the database
    takes to answer it."""
    if not listing_ids:
        return []
    quote = connection.ops.quote_name
    source, target = quote(field.m2m_column_name()), quote(field.m2m_reverse_name())
    table = quote(field.remote_field.through._meta.db_table)
    ids = ", ".join(["%s"] * len(listing_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {source}, {target} FROM {table} WHERE {source} IN ({ids})",  # noqa: S608 (names from the model, ids as parameters)
            listing_ids,
        )
        return cursor.fetchall()


def related(listing, relation: str):
    """A listing's rows of a many-to-many: those `nest` read, or else a query.

    Read as a plain list: `listing.needs.all()` builds a related manager and a queryset each
    time (modelcluster's, for a page's relations), which cost more than all the rest of a
    service's JSON when streaming the whole directory."""
    rows = getattr(listing, PREFETCHED.format(relation), None)
    return rows if rows is not None else getattr(listing, relation).all()


def organisations(on=None):
    """Organisations with at least one published listing."""
    listed = published(on).values("organisation_id")
    return Organisation.objects.filter(pk__in=listed).select_related("provider_page")
