"""The dashboard's "Refresh now": the count runs in the task worker, never in a web request
(a million unmet searches take a while to count)."""

from django_tasks import task

from .refresh import refresh_figures


@task()
def refresh_sufficiency(*, requested_by: str = "") -> str:
    refresh = refresh_figures(requested_by=requested_by)
    return refresh.counted_at.isoformat()
