"""Run daily (cron or the task worker): refreshes DBS badges as dates pass and sends the
DBS and freshness reminders that are due. Idempotent: running it twice sends nothing twice."""

from django.core.management.base import BaseCommand

from directory.services import reminders_send


class Command(BaseCommand):
    help = "Refresh DBS badges and send due DBS and freshness reminders (idempotent)."

    def handle(self, *args, **options):
        counts = reminders_send()
        self.stdout.write(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items()))
