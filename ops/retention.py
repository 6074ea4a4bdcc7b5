"""Every retention period, applied in one daily job (`manage.py apply_retention`, in
`make reminders`): each app says how long it keeps what (its `privacy.py`, periods in the
`*_RETENTION` settings); this runs them in turn. The data map is `docs/privacy.md`.

Running it twice the same day does nothing the second time. Counts only are reported (never
who or what), so the job's output and logs hold no personal data."""

import datetime

from django.utils import timezone

from brokerage import privacy as brokerage_privacy
from core.audit import audit_job
from directory import privacy as directory_privacy
from kitemark import privacy as kitemark_privacy

JOBS = (
    ("brokerage", brokerage_privacy.retention_enforce),
    ("kitemark", kitemark_privacy.retention_enforce),
    ("directory", directory_privacy.retention_enforce),
)


def retention_apply(*, now: datetime.datetime | None = None) -> dict[str, dict[str, int]]:
    now = now or timezone.now()
    counts = {name: job(now=now) for name, job in JOBS}
    removed = sum(n for app in counts.values() for n in app.values())
    if removed:
        summary = "; ".join(
            f"{name}: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in app.items() if v)
            for name, app in counts.items()
            if any(app.values())
        )
        audit_job(
            action="retention_applied",
            day=timezone.localdate(now),
            summary=f"Retention periods applied: {summary}",
        )
    return counts
