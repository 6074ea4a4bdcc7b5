from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and media files into a new directory, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path, help="a new or empty directory")

    def handle(self, *args, destination: Path, **options):
        try:
            manifest = backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {len(manifest['tables'])} tables ({rows} rows) and "
                f"{len(manifest['media'])} media files to {destination}"
            )
        )
