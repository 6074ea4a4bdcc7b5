"""`manage.py refresh_sufficiency`: count the sufficiency dashboard's figures again (a daily job,
run by `make reminders`; safe to run more than once)."""

from django.core.management.base import BaseCommand

from sufficiency.models import BrokerageCount, SupplyCount, UnmetCount
from sufficiency.refresh import refresh_figures


class Command(BaseCommand):
    help = "Count the sufficiency dashboard's figures again, replacing the last count"

    def handle(self, *args, **options):
        refresh = refresh_figures(requested_by="daily job")
        self.stdout.write(
            f"Sufficiency figures counted in {refresh.seconds:.1f} s: "
            f"{UnmetCount.objects.count():,} unmet-search rows, "
            f"{SupplyCount.objects.count():,} supply rows, "
            f"{BrokerageCount.objects.count():,} brokerage rows."
        )
