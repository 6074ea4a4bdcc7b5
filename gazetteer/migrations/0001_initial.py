"""The gazetteer's tables (councils, postcodes, place names, rural-urban classes) move from
`search` to `gazetteer`: only Django's idea of their owner changes; the tables keep their names
and every row, and their content types follow them."""

from django.db import migrations, models

MOVED = ["localauthority", "postcode", "terminatedpostcode", "ruralurbanclass", "placename"]


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="gazetteer", model=model).exists():
            ContentType.objects.filter(app_label="search", model=model).update(app_label="gazetteer")


def content_types_return(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="gazetteer", model__in=MOVED).update(app_label="search")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('search', '0008_place_names'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='LocalAuthority',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=9, unique=True)),
                        ('name', models.CharField(max_length=100)),
                    ],
                    options={
                        'verbose_name_plural': 'local authorities',
                        'db_table': 'search_localauthority',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='PlaceName',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120)),
                        ('key', models.CharField(db_index=True, max_length=120)),
                        ('ward_code', models.CharField(max_length=9, unique=True)),
                        ('local_authority_code', models.CharField(max_length=9)),
                        ('latitude', models.FloatField()),
                        ('longitude', models.FloatField()),
                        ('postcodes', models.PositiveIntegerField()),
                        ('outcode', models.CharField(max_length=4)),
                    ],
                    options={
                        'db_table': 'search_placename',
                        'ordering': ['-postcodes', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='RuralUrbanClass',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('lsoa11', models.CharField(max_length=9, unique=True)),
                        ('lsoa_name', models.CharField(blank=True, max_length=100)),
                        ('code', models.CharField(max_length=2)),
                        ('name', models.CharField(max_length=80)),
                    ],
                    options={
                        'verbose_name': 'rural-urban class',
                        'verbose_name_plural': 'rural-urban classes',
                        'db_table': 'search_ruralurbanclass',
                    },
                ),
                migrations.CreateModel(
                    name='Postcode',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('postcode', models.CharField(max_length=8, unique=True)),
                        ('outcode', models.CharField(db_index=True, max_length=4)),
                        ('sector', models.CharField(db_index=True, max_length=6)),
                        ('latitude', models.FloatField()),
                        ('longitude', models.FloatField()),
                        ('local_authority_code', models.CharField(db_index=True, max_length=9)),
                        ('lsoa11', models.CharField(blank=True, db_index=True, max_length=9)),
                    ],
                    options={
                        'db_table': 'search_postcode',
                        'indexes': [models.Index(fields=['latitude', 'longitude'], name='postcode_lat_lng')],
                    },
                ),
                migrations.CreateModel(
                    name='TerminatedPostcode',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('postcode', models.CharField(max_length=8, unique=True)),
                        ('outcode', models.CharField(db_index=True, max_length=4)),
                        ('latitude', models.FloatField()),
                        ('longitude', models.FloatField()),
                        ('local_authority_code', models.CharField(max_length=9)),
                    ],
                    options={
                        'db_table': 'search_terminatedpostcode',
                        'indexes': [models.Index(fields=['latitude', 'longitude'], name='terminated_lat_lng')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
