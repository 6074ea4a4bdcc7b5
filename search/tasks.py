"""Keeping the search engine's index in step with the directory, in the background."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task

from .indexing import index_listing

logger = logging.getLogger(__name__)

# A listing the engine could not take (down, or too slow) is tried again later: after one
# minute, then two, four... at most every half hour, for about a day; by then the operators
# have been warned many times, and `rebuild_search_index` catches up whatever is left.
RETRY_FIRST_SECONDS = 60
RETRY_LONGEST_SECONDS = 30 * 60
RETRY_ATTEMPTS = 52


def retry_delay(attempt: int) -> datetime.timedelta:
    return datetime.timedelta(
        seconds=min(RETRY_FIRST_SECONDS * 2 ** min(attempt, 10), RETRY_LONGEST_SECONDS)
    )


@task()
def reindex_listing(*, listing_id: int, attempt: int = 0) -> bool:
    """Index the listing as it is now (or drop it if it is no longer public). An engine that
    is down or too slow is logged, not raised: searches fall back to the database meanwhile,
    and the listing is tried again later, so the index catches up once the engine is back."""

    try:
        return index_listing(listing_id)
    except Exception as error:  # noqa: BLE001 - any engine failure must not break publishing
        retry = attempt + 1 < RETRY_ATTEMPTS and reindex_listing.get_backend().supports_defer
        logger.warning(
            "Could not update the search index (%s); %s",
            type(error).__name__,
            "trying again later" if retry else "rebuild_search_index will catch up",
        )
        if retry:
            reindex_listing.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                listing_id=listing_id, attempt=attempt + 1
            )
        return False
