"""Run daily (cron or the task worker): moves kitemark awards on as dates pass (renewal due,
expired) and sends the reminders that are due: renewals, upcoming visits, overdue reviews and
re-audits. Idempotent: running it twice sends nothing twice."""

from django.core.management.base import BaseCommand

from kitemark.services import reminders_send


class Command(BaseCommand):
    help = "Send due kitemark reminders and move awards on as dates pass (idempotent)."

    def handle(self, *args, **options):
        counts = reminders_send()
        self.stdout.write(
            "Kitemark: " + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items())
        )
