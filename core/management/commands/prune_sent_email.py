"""Daily: delete finished background tasks and sent emails' records older than
EMAIL_RETENTION_DAYS (core/outbox.py). Safe to run more than once."""

from django.core.management.base import BaseCommand

from core.outbox import prune


class Command(BaseCommand):
    help = "Delete finished background tasks and old outgoing emails (EMAIL_RETENTION_DAYS)"

    def handle(self, *args, **options):
        counts = prune()
        self.stdout.write(
            f"Deleted {counts['tasks']} finished task(s) and {counts['emails']} email record(s)"
        )
