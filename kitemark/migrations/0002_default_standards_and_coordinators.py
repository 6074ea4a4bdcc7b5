"""The first version of the kitemark standards, and what the kitemark coordinators may do.

The standards are written for this product in the spirit of Dudley's Me2 panel: is the setting
welcoming and accessible for all children and young people? Each has plain wording, easy-read
wording and guidance for auditors. The panel and the coordinator change them by making a new
version in the admin; past audits keep the version they were checked against.
"""

import datetime

from django.db import migrations

STANDARDS = [
    (
        "welcome",
        "Young people are greeted warmly and by name, and new people are helped to settle in.",
        "People say hello and make you feel welcome.",
        "How were you greeted when you arrived? Is there someone whose job is to help new "
        "people? Ask a young person who goes there how their first day was.",
    ),
    (
        "welcome",
        "Disabled and non-disabled young people take part together, not in separate groups.",
        "Everyone joins in together.",
        "Look at who is doing what. Are disabled young people doing the same things as others, "
        "or kept to one side?",
    ),
    (
        "getting_in",
        "You can get in, and get around, without steps or with a ramp or lift.",
        "You can get in and move around easily.",
        "Try the way in, the doors, corridors, the hall and outside space. Is anything too heavy, "
        "too narrow or too high?",
    ),
    (
        "getting_in",
        "There is an accessible toilet that is clean, easy to find and not used as a store room.",
        "There is a toilet you can use.",
        "Find the accessible toilet. Is it signposted? Is the emergency cord hanging free?",
    ),
    (
        "communication",
        "Information is given in more than one way: easy read, pictures, symbols or signing.",
        "They explain things in ways you understand.",
        "Ask for the programme or the rules. Is there an easy-read or picture version? Do staff "
        "use Makaton, BSL or symbols if someone needs them?",
    ),
    (
        "communication",
        "Staff take time to listen and check that young people have understood.",
        "Staff listen to you and give you time.",
        "Watch how staff talk with young people who communicate in different ways.",
    ),
    (
        "activities",
        "Activities are changed so that everyone can take part and enjoy them.",
        "Activities are changed so you can join in.",
        "Ask how they change a game or a trip for someone who needs it. Look for different "
        "ways to take part.",
    ),
    (
        "activities",
        "Young people choose what they do, and there is a quiet option when things get busy.",
        "You can choose what to do, and have quiet time.",
        "Is there a choice of activities? Is there a calm space to go to?",
    ),
    (
        "staff_attitude",
        "Staff are positive about disability and expect every young person to do well.",
        "Staff are kind and believe in you.",
        "How do staff talk about young people? Do they talk to the young person, not only to "
        "their helper?",
    ),
    (
        "staff_attitude",
        "Staff have had training in including disabled young people and know who to ask for help.",
        "Staff know how to help everyone join in.",
        "Ask staff what training they have had, and what they do if they are not sure.",
    ),
    (
        "facilities",
        "There is a space to rest, and room for wheelchairs, walkers and other equipment.",
        "There is space for you and your things.",
        "Is there somewhere to sit down and rest? Where do wheelchairs and bags go?",
    ),
    (
        "feeling_safe",
        "Young people feel safe, know who to talk to if they are worried, and are not bullied.",
        "You feel safe and know who to tell if you are worried.",
        "Ask young people who they would talk to. Is there a poster or a named person?",
    ),
    (
        "feeling_safe",
        "Medicines, personal care and personal information are handled privately and with respect.",
        "Private things are kept private.",
        "Ask how they give medicines or help with personal care. Where are people's details kept?",
    ),
    (
        "having_a_say",
        "Young people are asked what they think and can see that their ideas change things.",
        "They ask what you think and listen.",
        "Ask how young people have a say. Can they tell you something that changed because of "
        "their ideas?",
    ),
]

COORDINATOR_PERMISSIONS = [
    ("kitemark", "add_standardset"),
    ("kitemark", "change_standardset"),
    ("kitemark", "view_standardset"),
    ("kitemark", "add_standard"),
    ("kitemark", "change_standard"),
    ("kitemark", "delete_standard"),
    ("kitemark", "view_standard"),
    ("kitemark", "add_auditorprofile"),
    ("kitemark", "change_auditorprofile"),
    ("kitemark", "view_auditorprofile"),
    ("kitemark", "view_audit"),
    ("kitemark", "change_audit"),
]


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    StandardSet = apps.get_model("kitemark", "StandardSet")
    Standard = apps.get_model("kitemark", "Standard")
    if not StandardSet.objects.exists():
        standard_set = StandardSet.objects.create(
            version=1,
            title="Our kitemark standards",
            introduction=(
                "These standards check whether a setting is welcoming and accessible for all "
                "children and young people. Young auditors visit, look around, join in and talk "
                "to people, then say yes, partly or not yet for each one."
            ),
            written_with="Written with the young people's kitemark panel",
            published_on=datetime.date(2026, 1, 1),
        )
        for number, (theme, wording, easy_read, guidance) in enumerate(STANDARDS, start=1):
            Standard.objects.create(
                standard_set=standard_set,
                number=number,
                theme=theme,
                wording=wording,
                easy_read=easy_read,
                guidance=guidance,
            )

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Kitemark coordinators")
    for app_label, codename in COORDINATOR_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    # Symbols for the standards: the coordinator may upload and choose images.
    for codename in ("add_image", "choose_image"):
        permission = Permission.objects.filter(
            content_type__app_label="wagtailimages", codename=codename
        ).first()
        Collection = apps.get_model("wagtailcore", "Collection")
        GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
        root = Collection.objects.filter(depth=1).first()
        if permission and root:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [
        ("kitemark", "0001_initial"),
        ("directory", "0002_reference_data"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
