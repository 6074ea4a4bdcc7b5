"""Enforce the retention periods in `BROKERAGE_RETENTION`: unsent drafts and closed requests
past their time are deleted; their anonymised outcomes stay. Run daily."""

from django.core.management.base import BaseCommand

from brokerage.privacy import retention_enforce


class Command(BaseCommand):
    help = "Delete brokerage drafts and closed requests past their retention period."

    def handle(self, *args, **options):
        counts = retention_enforce()
        self.stdout.write(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items()))
