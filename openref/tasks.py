"""Background work for open data: imports run in the task worker, carrying only the run's id."""

from django_tasks import task

from .importer import runs


@task()
def apply_import(*, run_id: int) -> str:
    run = runs.execute(run_id)
    return run.state if run else "not waiting"
