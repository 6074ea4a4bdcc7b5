"""Council staff grant brokers their areas; the care notes a family agrees to share are marked.

Until now brokers chose their own areas, and any area chosen showed them every waiting request
there. Those choices were never authorised by anyone, so they are removed (least privilege):
each broker who had any gets a row in the audit trail naming the areas removed, so council
staff can grant back, from Brokerage > Brokers' areas, the ones the broker really works in.
Requests already assigned to a broker stay with them. Going back does not restore the areas.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


SUMMARY_MAX = 255


def removed_summary(names: list[str]) -> str:
    """"Self-chosen council areas removed: A, B and 3 more", within the audit trail's 255."""
    start = "Self-chosen council areas removed (not granted by council staff): "
    shown = []
    for index, name in enumerate(names):
        rest = len(names) - index - 1
        tail = f" and {rest} more" if rest else ""
        if len(start + ", ".join([*shown, name]) + tail) > SUMMARY_MAX:
            return start + ", ".join(shown) + f" and {len(names) - index} more"
        shown.append(name)
    return start + ", ".join(shown)


def remove_self_chosen_areas(apps, schema_editor):
    BrokerProfile = apps.get_model("brokerage", "BrokerProfile")
    AuditEvent = apps.get_model("core", "AuditEvent")
    for profile in BrokerProfile.objects.all().order_by("pk"):
        names = sorted(profile.areas.values_list("name", flat=True))
        if not names:
            continue
        AuditEvent.objects.create(
            actor=None,
            action="broker_areas_removed",
            object_type="brokerage.brokerprofile",
            object_id=str(profile.pk),
            summary=removed_summary(names),
        )
        profile.areas.clear()


class Migration(migrations.Migration):

    dependencies = [
        ('brokerage', '0002_areas_are_gazetteer_councils'),
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='brokerprofile',
            name='areas_granted_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='brokerprofile',
            name='areas_granted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='contactshare',
            name='care_notes',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='contactshare',
            name='offer',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='shares', to='brokerage.offer'),
        ),
        migrations.RunPython(remove_self_chosen_areas, migrations.RunPython.noop),
    ]
