
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('brokerage', '0005_funding_not_known_yet_and_who_is_asking_from_the_account'),
        ('directory', '0015_dbs_check_outcomes'),
    ]

    operations = [
        migrations.AddField(
            model_name='agreement',
            name='days',
            field=models.ManyToManyField(blank=True, related_name='+', to='directory.weekday'),
        ),
        migrations.AddField(
            model_name='agreement',
            name='school_holidays',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='agreement',
            name='term_time',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='agreement',
            name='time_from',
            field=models.TimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='agreement',
            name='time_to',
            field=models.TimeField(blank=True, null=True),
        ),
    ]
