"""The table of the `throttle` cache (core/throttle.py), shared by every web worker."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Creates the table of every database cache in settings that has none yet (none in tests,
    # whose caches are in memory).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_queued_emails_follow_the_task")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
