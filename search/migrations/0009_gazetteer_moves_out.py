"""`search` forgets the gazetteer's tables, which `gazetteer` now owns; nothing is dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('brokerage', '0002_areas_are_gazetteer_councils'),
        ('directory', '0011_served_councils_are_gazetteer_councils'),
        ('search', '0008_place_names'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='LocalAuthority',
                ),
                migrations.DeleteModel(
                    name='PlaceName',
                ),
                migrations.DeleteModel(
                    name='Postcode',
                ),
                migrations.DeleteModel(
                    name='RuralUrbanClass',
                ),
                migrations.DeleteModel(
                    name='TerminatedPostcode',
                ),
            ],
            database_operations=[],
        ),
    ]
