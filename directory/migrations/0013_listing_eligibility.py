"""Who can use a listing (open access, after a council assessment, by a professional's
referral, or paid with a direct payment): listings saved before it are open access until their
provider says otherwise."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0012_people_are_placed_at_their_district_centre'),
    ]

    operations = [
        migrations.AddField(
            model_name='listingpage',
            name='eligibility',
            field=models.CharField(choices=[('open', 'Open access: anyone can use it, no assessment needed'), ('assessment', 'Needs an assessment by the council'), ('referral', 'Referral by a professional, such as a social worker or teacher'), ('direct_payment', 'Paid with a direct payment from the council')], default='open', help_text='How a family gets this service.', max_length=16, verbose_name='Who can use it'),
        ),
    ]
