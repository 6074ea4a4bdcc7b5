"""The moderation step is named "Council check": Wagtail shows the name to providers as
"Awaiting Council check" and "Changes requested at Council check" (it was "Council moderator
approves the change", which read as "Changes requested at Council moderator approves the
change"). Only the step this product made is renamed; one a council renamed itself is left."""

from django.db import migrations

OLD = "Council moderator approves the change"
NEW = "Council check"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Task").objects.filter(name=OLD).update(name=NEW)


def rename_back(apps, schema_editor):
    apps.get_model("wagtailcore", "Task").objects.filter(name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_short_breaks_statement"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
