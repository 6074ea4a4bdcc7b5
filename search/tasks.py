"""Keeping the search engine's index in step with the directory, in the background."""

import logging

from django_tasks import task

from .indexing import index_listing

logger = logging.getLogger(__name__)


@task()
def reindex_listing(*, listing_id: int) -> bool:
    """Index the listing as it is now (or drop it if it is no longer public). An engine that
    is down is logged, not raised: searches fall back to the database meanwhile, and
    `rebuild_search_index` catches up."""

    try:
        return index_listing(listing_id)
    except Exception as error:  # noqa: BLE001 - any engine failure must not break publishing
        logger.warning("Could not update the search index (%s)", type(error).__name__)
        return False
