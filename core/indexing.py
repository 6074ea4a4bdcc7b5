"""Writing many pages at once (demo data, imports) without updating Wagtail's search index and
reference index three times a page: pause the per-save updates, then add every page once."""

from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.signals import post_save
from wagtail.models import ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.index import get_indexed_models
from wagtail.search.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

BATCH = 500


@contextmanager
def index_updates_deferred():
    """Pause the per-save search and reference index updates; `index_pages` afterwards."""
    models = [m for m in get_indexed_models() if getattr(m, "search_auto_update", True)]
    paused = [m for m in models if post_save.disconnect(post_save_signal_handler, sender=m)]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in paused:
            post_save.connect(post_save_signal_handler, sender=model)


def index_pages(pages_by_model: dict[type, list[int]]) -> None:
    """Add pages (ids by their specific model) to the search index and the reference index,
    once each, in batches."""
    backends = list(get_search_backends(with_auto_update=True))
    for model, ids in pages_by_model.items():
        for start in range(0, len(ids), BATCH):
            pages = list(model.objects.filter(pk__in=ids[start : start + BATCH]))
            for backend in backends:
                backend.add_bulk(model, pages)
            references_added(pages)


def references_added(pages: list) -> None:
    """The reference index rows of pages, as `ReferenceIndex.create_or_update_for_object`
    writes them, but for pages with none yet all in one insert (that method reads and writes
    a page at a time). Pages that already have rows are updated one by one, as it does."""
    if not pages:
        return
    base = ContentType.objects.get_for_model(pages[0], for_concrete_model=False)
    for parent in pages[0]._meta.get_parent_list():
        base = ContentType.objects.get_for_model(parent, for_concrete_model=False)
    indexed = set(
        ReferenceIndex.objects.filter(
            base_content_type=base, object_id__in=[str(page.pk) for page in pages]
        ).values_list("object_id", flat=True)
    )
    rows = []
    for page in pages:
        if str(page.pk) in indexed:
            ReferenceIndex.create_or_update_for_object(page)
            continue
        content_type = ContentType.objects.get_for_model(page, for_concrete_model=False)
        references = set(ReferenceIndex._extract_references_from_object(page))
        rows.extend(
            ReferenceIndex(
                content_type=content_type,
                base_content_type=base,
                object_id=page.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_content_type_id, to_object_id, model_path, content_path in references
        )
    ReferenceIndex.objects.bulk_create(
        rows, ignore_conflicts=connection.features.supports_ignore_conflicts
    )
