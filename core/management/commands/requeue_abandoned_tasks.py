"""Run again the tasks a killed worker left half-done (core/worker.py). `ops/serve-production.sh`
runs it before starting the worker."""

from django.core.management.base import BaseCommand

from core.worker import requeue_abandoned


class Command(BaseCommand):
    help = "Put back in the queue the tasks a stopped worker left running"

    def add_arguments(self, parser):
        parser.add_argument(
            "--worker-id",
            default="",
            help="the id of the worker about to start: every task still marked as its own "
            "was abandoned when it stopped",
        )

    def handle(self, *args, worker_id, **options):
        count = requeue_abandoned(worker_id=worker_id)
        self.stdout.write(f"Requeued {count} abandoned task(s)")
