"""The councils a listing serves are the gazetteer's councils now (the same table, moved app)."""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0010_open_referral_ids'),
        ('gazetteer', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='listingpage',
                    name='served_local_authorities',
                    field=modelcluster.fields.ParentalManyToManyField(blank=True, help_text='Council areas you cover, whatever the distance.', related_name='served_by', to='gazetteer.localauthority'),
                ),
            ],
            database_operations=[],
        ),
    ]
