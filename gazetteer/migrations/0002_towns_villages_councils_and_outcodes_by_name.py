"""Place names beyond wards: towns and villages, councils and outcodes, each with a lasting
reference for links, a kind, a population and other names (aliases). Wards already loaded keep
their rows and take their ward code as their reference."""

import django.db.models.deletion
from django.db import migrations, models


def wards_keep_their_code_as_reference(apps, schema_editor):
    PlaceName = apps.get_model("gazetteer", "PlaceName")
    for place in PlaceName.objects.only("pk", "ward_code", "postcodes").iterator():
        PlaceName.objects.filter(pk=place.pk).update(
            ref=place.ward_code, population=place.postcodes * 38
        )


class Migration(migrations.Migration):
    dependencies = [("gazetteer", "0001_initial")]

    operations = [
        migrations.AlterModelOptions(
            name="placename", options={"ordering": ["-population", "name"]}
        ),
        migrations.AddField(
            model_name="placename",
            name="ref",
            field=models.CharField(max_length=20, null=True),
        ),
        migrations.AddField(
            model_name="placename",
            name="kind",
            field=models.CharField(
                choices=[
                    ("town", "town or village"),
                    ("ward", "ward"),
                    ("council", "council"),
                    ("outcode", "outcode"),
                ],
                default="ward",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="placename",
            name="population",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AlterField(
            model_name="placename",
            name="ward_code",
            field=models.CharField(blank=True, max_length=9),
        ),
        migrations.AlterField(
            model_name="placename",
            name="postcodes",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(wards_keep_their_code_as_reference, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="placename",
            name="ref",
            field=models.CharField(max_length=20, unique=True),
        ),
        migrations.CreateModel(
            name="PlaceAlias",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(db_index=True, max_length=120)),
                (
                    "place",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="aliases",
                        to="gazetteer.placename",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("place", "key"), name="one_alias_per_place_and_key"
                    )
                ]
            },
        ),
    ]
