"""Import organisations and listings from a spreadsheet (CSV or XLSX) or an Open Referral UK
feed (a file, or the feed's web address), as the admin's import does.

    manage.py import_listings listings.csv --dry-run
    manage.py import_listings listings.xlsx --source "Council spreadsheet" --publish
    manage.py import_listings https://example.org/api/openreferral/ --as-user moderator
"""

import pathlib

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from openref.importer import runs, sources
from openref.importer.engine import apply as apply_rows
from openref.models import ImportRun


class Command(BaseCommand):
    help = "Import listings from a spreadsheet or an Open Referral UK feed (file or URL)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A .csv, .xlsx, .json or .ndjson file, or a feed URL")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would happen; change nothing"
        )
        parser.add_argument(
            "--source-name",
            dest="source_name",
            help="Name the source; importing it again by the same name updates what it made "
            "(default: the file's name or the feed's address)",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the listings at once (default: send each to council moderation)",
        )
        parser.add_argument("--as-user", dest="username", help="Recorded as who imported")
        parser.add_argument(
            "--format", choices=[f.value for f in ImportRun.Format], help="Override the format"
        )

    def handle(self, *args, **options):
        given = options["source"]
        user = None
        if options["username"]:
            user = get_user_model().objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user called {options['username']}")
        try:
            if given.startswith(("http://", "https://")):
                content, format = sources.fetch_feed(given), ImportRun.Format.ORUK
            else:
                path = pathlib.Path(given)
                if not path.is_file():
                    raise CommandError(f"{given} is not a file")
                content = path.read_bytes()
                format = options["format"] or runs.format_for(path.name)
                if format is None:
                    raise CommandError("Give a .csv, .xlsx, .json or .ndjson file, or --format")
            format = options["format"] or format
            run = runs.start(
                user=user,
                source=options["source_name"] or given,
                origin=given,
                format=format,
                content=content,
            )
        except sources.SourceError as error:
            raise CommandError(str(error)) from error
        preview = run.preview
        counts = preview["counts"]
        self.stdout.write(
            f"{run.total} row(s): {counts['create']} to create, {counts['update']} to update, "
            f"{counts['unchanged']} unchanged, {counts['error']} with errors"
        )
        for line in preview["rows"]:
            if line["outcome"] == "error":
                self.stdout.write(f"  row {line['row']}: " + "; ".join(line["messages"]))
        for organisation in preview["possible_duplicates"]:
            self.stdout.write(
                f"  new organisation {organisation['name']!r} may be "
                f"{organisation['duplicate_of']!r}, already listed"
            )
        if options["dry_run"]:
            run.state = ImportRun.State.CANCELLED
            run.content = b""
            run.save(update_fields=["state", "content"])
            self.stdout.write("Dry run: nothing was changed.")
            return
        run.publish = options["publish"]
        run.applied_by = user
        run.state = ImportRun.State.APPLYING
        run.save(update_fields=["publish", "applied_by", "state"])
        result = apply_rows(run, user=user, progress=self._progress(run.total))
        run.state = ImportRun.State.APPLIED
        run.result = result
        run.save(update_fields=["state", "result"])
        done = result["counts"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {done['created']} created, {done['updated']} updated, "
                f"{done['unchanged']} unchanged, {done['error']} not imported"
            )
        )
        for error in result["errors"]:
            self.stdout.write(f"  row {error['row']}: " + "; ".join(error["messages"]))

    def _progress(self, total: int):
        step = max(PROGRESS_STEP, total // 10)

        def report(done: int) -> None:
            if done % step == 0 or done == total:
                self.stdout.write(f"  {done:,}/{total:,} rows")

        return report


PROGRESS_STEP = 500
