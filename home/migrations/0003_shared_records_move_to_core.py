"""The audit trail, updates, sent reminders and consent records now belong to `core`
(core/migrations/0001_initial.py): `home` forgets them, and their tables stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_consent"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditEvent"),
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="SentReminder"),
                migrations.DeleteModel(name="Consent"),
            ],
            database_operations=[],
        ),
    ]
