"""Emails queued before the messenger moved to `core` name the task by its old path; they are
pointed at `core.tasks.deliver_email`, so the worker still sends them after the upgrade."""

from django.db import migrations

OLD, NEW = "home.tasks.deliver_email", "core.tasks.deliver_email"


def follow(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path=OLD).update(task_path=NEW)


def back(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path=NEW).update(task_path=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(follow, back)]
