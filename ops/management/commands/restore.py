from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into an empty database, checking every file's "
        "SHA-256 first and every table's row count afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="a directory made by `manage.py backup`")
        parser.add_argument(
            "--force", action="store_true", help="replace a database that already holds data"
        )

    def handle(self, *args, source: Path, force: bool = False, **options):
        try:
            manifest = restore(source, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {len(manifest['tables'])} tables ({rows} rows, counts checked) and "
                f"{len(manifest['media'])} media files (hashes checked) from {source}"
            )
        )
