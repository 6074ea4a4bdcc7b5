"""The load test's own data (`manage.py seed_loadtest`, run by `loadtest/run.sh`), on top of the
NE demo data: the directory grown to a size.

Listings are added in bulk (`directory.bulk.create_listings`) until the directory holds the
number asked for. They are spread over the postcodes in the gazetteer, and the load test loads
only the NE postcode area, so all of them land where its families search: about 34,000 NE
postcodes for 100,000 listings, far denser than 100,000 spread over England would be. That is
the worst case for search (every radius holds more candidates to filter and rank), and an
honest one: no search is helped by listings it never sees.

Idempotent: listings are topped up to the number asked for.
"""

from collections.abc import Callable

from django.db import connection

from directory.bulk import create_listings
from directory.models import ListingPage


def listings_top_up(
    total: int, *, seed: int = 1, progress: Callable[[int, int], None] | None = None
) -> int:
    """Listings added so the directory holds `total` (none when it has as many already)."""
    have = ListingPage.objects.count()
    if have >= total:
        return 0
    made = create_listings(total - have, seed=seed + have, progress=progress)
    if connection.vendor == "postgresql":
        # As autovacuum soon would after a bulk load, so the planner knows the new size (VACUUM
        # cannot run inside a transaction, as in tests: ANALYZE alone there).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return made
