"""Listings, organisations and taxonomy terms get a stable UUID: their id in the open data
(the Open Referral UK API), so a consumer's links survive renames and never reveal a database
id. Rows that exist already get one each here, then the column becomes unique."""

import uuid

from django.db import migrations, models

MODELS = [
    "ListingPage",
    "Organisation",
    "ServiceType",
    "Need",
    "Skill",
    "AccessFeature",
    "Language",
    "FundingRoute",
]


def give_each_row_its_own_uuid(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("directory", name)
        for pk in model.objects.filter(uuid__isnull=True).values_list("pk", flat=True).iterator():
            model.objects.filter(pk=pk).update(uuid=uuid.uuid4())


def add_nullable(model_name):
    return migrations.AddField(
        model_name=model_name.lower(),
        name="uuid",
        field=models.UUIDField(null=True, editable=False),
    )


def make_unique(model_name):
    return migrations.AlterField(
        model_name=model_name.lower(),
        name="uuid",
        field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0009_dbs_check_review"),
    ]

    operations = [
        *[add_nullable(name) for name in MODELS],
        migrations.RunPython(give_each_row_its_own_uuid, migrations.RunPython.noop),
        *[make_unique(name) for name in MODELS],
    ]
