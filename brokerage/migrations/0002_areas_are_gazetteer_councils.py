"""A broker's council areas are the gazetteer's councils now (the same table, moved app)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('brokerage', '0001_initial'),
        ('gazetteer', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='brokerprofile',
                    name='areas',
                    field=models.ManyToManyField(blank=True, related_name='+', to='gazetteer.localauthority', verbose_name='council areas'),
                ),
            ],
            database_operations=[],
        ),
    ]
