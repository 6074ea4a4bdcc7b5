"""The audit trail, updates, sent reminders and consent records move from `home` to `core`.

Only Django's idea of which app owns them changes: the tables keep their names and every row
(`db_table`), and their content types follow them, so any permission given on them stays."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["auditevent", "notification", "sentreminder", "consent"]


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="core", model=model).exists():
            ContentType.objects.filter(app_label="home", model=model).update(app_label="core")


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="core", model__in=MOVED).update(app_label="home")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("home", "0002_consent"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("action", models.CharField(db_index=True, max_length=64)),
                        ("object_type", models.CharField(max_length=64)),
                        ("object_id", models.CharField(max_length=64)),
                        ("summary", models.CharField(max_length=255)),
                        ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "home_auditevent",
                        "ordering": ["-at", "-id"],
                        "verbose_name": "audit event",
                        "indexes": [models.Index(fields=["object_type", "object_id"], name="home_audite_object__860f5c_idx")],
                        "abstract": False,
                    },
                ),
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=64)),
                        ("subject", models.CharField(max_length=200)),
                        ("url", models.CharField(blank=True, max_length=500)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "home_notification", "ordering": ["-created_at"]},
                ),
                migrations.CreateModel(
                    name="SentReminder",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=64)),
                        ("key", models.CharField(max_length=128)),
                        ("sent_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "home_sentreminder",
                        "constraints": [models.UniqueConstraint(fields=("kind", "key"), name="one_reminder_per_key")],
                    },
                ),
                migrations.CreateModel(
                    name="Consent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("purpose", models.CharField(max_length=64)),
                        ("wording", models.TextField()),
                        ("given", models.BooleanField(default=True)),
                        ("recorded_at", models.DateTimeField(auto_now_add=True)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="consents", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "home_consent", "ordering": ["-recorded_at"]},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
