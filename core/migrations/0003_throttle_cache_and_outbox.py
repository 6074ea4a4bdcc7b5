"""The table of the `throttle` cache (core/throttle.py), shared by every web worker; the
outgoing emails the worker renders when it sends them (core/outbox.py); and the end of the
email bodies (with their password reset and sign-in links, and children's names) that
finished tasks kept in the task table."""

from django.core.management import call_command
from django.db import migrations, models


def create_cache_table(apps, schema_editor):
    # Creates the table of every database cache in settings that has none yet (none in tests,
    # whose caches are in memory).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def forget_sent_bodies(apps, schema_editor):
    # Emails queued before this kept their whole text in the task's arguments. Those already
    # sent (or failed) are deleted; those still waiting are sent as they are, then pruned.
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(
        task_path="core.tasks.deliver_email", status__in=["SUCCESSFUL", "FAILED"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_queued_emails_follow_the_task"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
        migrations.CreateModel(
            name="OutgoingEmail",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=64)),
                ("addresses", models.JSONField(default=list)),
                ("context", models.JSONField(default=dict)),
                ("url", models.CharField(blank=True, max_length=500)),
                ("link", models.CharField(blank=True, max_length=200)),
                ("link_args", models.JSONField(default=list)),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("sent_count", models.PositiveIntegerField(default=0)),
            ],
            options={"verbose_name": "outgoing email"},
        ),
        migrations.RunPython(forget_sent_bodies, migrations.RunPython.noop),
    ]
