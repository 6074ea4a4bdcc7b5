"""Rebuild the search engine's index from the database.

manage.py rebuild_search_index

Fills a new index, then swaps the alias to it, so searches keep working while it runs.
"""

from django.core.management.base import BaseCommand, CommandError

from search.engine_client import EngineConfigurationError
from search.indexing import alias_name, rebuild

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Rebuild the search engine index of live public listings, with a progress bar."

    def handle(self, *args, **options):
        def progress(done: int, total: int) -> None:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            bar = "#" * filled + "-" * (BAR_WIDTH - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total} listings", ending="")
            self.stdout.flush()

        try:
            count = rebuild(progress=progress)
        except EngineConfigurationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} listings into {alias_name()}"))
