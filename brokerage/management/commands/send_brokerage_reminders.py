"""Run daily with `make reminders`: expires unanswered offers, reminds providers before an
offer expires, tells brokers when first contact is overdue and when reviews are due.
Idempotent: running it twice sends nothing twice."""

from django.core.management.base import BaseCommand

from brokerage.services import reminders_send


class Command(BaseCommand):
    help = "Expire offers and send brokerage reminders that are due (idempotent)."

    def handle(self, *args, **options):
        counts = reminders_send()
        self.stdout.write(", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items()))
