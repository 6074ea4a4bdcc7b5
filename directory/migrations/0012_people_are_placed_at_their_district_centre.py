"""Personal assistants, and providers who run no venue, are placed at the centre of their
postcode district for searching (directory/rules.py, `private_position`): listings saved before
this rule get the same position now, so no search can place a person more exactly than the
district their page names. (A search engine index built before this migration still holds the
old positions until it is rebuilt: `manage.py rebuild_search_index`.)"""

from django.db import migrations
from django.db.models import Avg, Q

PERSONAL_ASSISTANT = "personal_assistant"


def place_people_at_district_centres(apps, schema_editor):
    ListingPage = apps.get_model("directory", "ListingPage")
    Postcode = apps.get_model("gazetteer", "Postcode")
    people = ListingPage.objects.filter(
        Q(kind=PERSONAL_ASSISTANT) | Q(at_venue=False)
    ).exclude(postcode_district="")
    districts = set(people.values_list("postcode_district", flat=True))
    centres = {
        row["outcode"]: (round(row["lat"], 5), round(row["lon"], 5))
        for row in Postcode.objects.filter(outcode__in=districts)
        .values("outcode")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
    }
    for district, (latitude, longitude) in centres.items():
        people.filter(postcode_district=district).update(latitude=latitude, longitude=longitude)


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0011_served_councils_are_gazetteer_councils"),
        ("gazetteer", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(place_people_at_district_centres, migrations.RunPython.noop),
    ]
