"""An import's life: read and checked, shown to staff, then queued, applied in the background
with its progress kept, and finished (or failed, with nothing half-written)."""

import logging

from django.db import transaction
from django.utils import timezone

from core.audit import audit

from ..models import ImportRun
from . import engine
from .sources import SourceError

logger = logging.getLogger(__name__)

FORMATS_BY_SUFFIX = {
    ".csv": ImportRun.Format.CSV,
    ".txt": ImportRun.Format.CSV,
    ".xlsx": ImportRun.Format.XLSX,
    ".json": ImportRun.Format.ORUK,
    ".ndjson": ImportRun.Format.ORUK,
    ".jsonl": ImportRun.Format.ORUK,
}


def format_for(name: str) -> str | None:
    lowered = name.lower()
    for suffix, format in FORMATS_BY_SUFFIX.items():
        if lowered.endswith(suffix):
            return format
    return None


def start(*, user, source: str, origin: str, format: str, content: bytes) -> ImportRun:
    """Keep the file and check every row (the dry run). Raises SourceError, with nothing kept,
    when the file cannot be read at all."""
    run = ImportRun(
        created_by=user if getattr(user, "is_authenticated", False) else None,
        source=source.strip()[:200],
        origin=origin[:500],
        format=format,
        content=content,
    )
    with transaction.atomic():
        run.save()
        engine.check(run)  # SourceError rolls the run back
    audit(actor=user, action="import_checked", obj=run, summary=f"Checked {origin[:200]}")
    return run


def recheck(run: ImportRun, *, mapping: dict[int, str]) -> dict:
    """Check again with the columns mapped as staff chose."""
    run.mapping = {str(k): v for k, v in mapping.items() if v}
    run.save(update_fields=["mapping"])
    return engine.check(run)


def queue(run: ImportRun, *, user, publish: bool) -> bool:
    """Ask for the import to run in the background. False if it already has been asked for
    (a second press of the button imports nothing twice)."""
    from ..tasks import apply_import

    with transaction.atomic():
        updated = ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.CHECKED).update(
            state=ImportRun.State.QUEUED, publish=publish, applied_by=user, done=0
        )
        if not updated:
            return False
        audit(
            actor=user,
            action="import_queued",
            obj=run,
            summary=f"Import of {run.origin[:150]} asked for"
            + (", to publish" if publish else ", as drafts for moderation"),
        )
        transaction.on_commit(lambda: apply_import.enqueue(run_id=run.pk))
    return True


def cancel(run: ImportRun, *, user) -> bool:
    updated = ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.CHECKED).update(
        state=ImportRun.State.CANCELLED, content=b""
    )
    if updated:
        audit(actor=user, action="import_cancelled", obj=run, summary="Import not applied")
    return bool(updated)


def execute(run_id: int) -> ImportRun | None:
    """Apply a queued run; a run not waiting (already applied, or taken by another worker)
    is left alone."""
    with transaction.atomic():
        taken = ImportRun.objects.filter(pk=run_id, state=ImportRun.State.QUEUED).update(
            state=ImportRun.State.APPLYING, started_at=timezone.now()
        )
    if not taken:
        return None
    run = ImportRun.objects.get(pk=run_id)

    def progress(done: int) -> None:
        ImportRun.objects.filter(pk=run_id).update(done=done)

    try:
        result = engine.apply(run, user=run.applied_by, progress=progress)
    except SourceError as error:
        result, state = (
            {"counts": {}, "errors": [{"row": 0, "messages": [str(error)]}]},
            (ImportRun.State.FAILED),
        )
    except Exception:
        logger.exception("Import run %s failed", run_id)
        result = {"counts": {}, "errors": [{"row": 0, "messages": ["The import stopped"]}]}
        state = ImportRun.State.FAILED
    else:
        state = ImportRun.State.APPLIED
    ImportRun.objects.filter(pk=run_id).update(
        state=state, result=result, finished_at=timezone.now()
    )
    run.refresh_from_db()
    counts = result.get("counts", {})
    audit(
        actor=run.applied_by,
        action="import_applied" if state == ImportRun.State.APPLIED else "import_failed",
        obj=run,
        summary=", ".join(f"{n} {k}" for k, n in counts.items()) or "Nothing imported",
    )
    return run
