"""The daily retention job: every app's retention periods (see `ops/retention.py` and
docs/privacy.md). Safe to run more than once a day."""

from django.core.management.base import BaseCommand

from ops.retention import retention_apply


class Command(BaseCommand):
    help = "Delete or erase personal data past its retention period, in every app."

    def handle(self, *args, **options):
        for name, counts in retention_apply().items():
            parts = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in counts.items())
            self.stdout.write(f"{name}: {parts}")
