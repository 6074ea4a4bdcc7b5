"""Roles as groups, the seven days, and sensible default taxonomies (editable afterwards)."""

from django.db import migrations
from django.utils.text import slugify

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

SERVICE_TYPES = [
    ("Overnight short breaks", "short_break", "Your child stays overnight at a residential short break home."),
    ("Shared care with a family", "short_break", "Your child stays with an approved short break carer and their family."),
    ("Day care", "short_break", "Care and activities during the day."),
    ("After-school club", "short_break", "Activities and care after school."),
    ("Holiday scheme", "short_break", "Activities during the school holidays."),
    ("Weekend activities", "short_break", "Clubs and trips at weekends."),
    ("Sitting service", "short_break", "A trained sitter looks after your child at home."),
    ("Support at home", "", "Someone comes to your home to help care for your child."),
    ("Support to go out", "", "Someone goes with your child to activities in the community."),
    ("Overnight support at home", "", "Someone stays at your home overnight."),
    ("Transition support (14 to 25)", "", "Help for young people moving towards adult life."),
    ("Youth club", "inclusive_club", ""),
    ("Sport", "inclusive_club", ""),
    ("Swimming", "inclusive_club", ""),
    ("Arts, music and drama", "inclusive_club", ""),
    ("Outdoor activities", "inclusive_club", ""),
    ("Play scheme", "inclusive_club", ""),
    ("Scouts, Guides and uniformed groups", "inclusive_club", ""),
]
NEEDS = [
    "Autism", "Learning disability", "Physical disability", "Visual impairment",
    "Hearing impairment", "Complex health needs", "Behaviour that challenges",
    "Life-limiting conditions", "Speech, language and communication needs", "ADHD",
    "Mental health and emotional wellbeing",
]
SKILLS = [
    "Tube feeding (gastrostomy)", "Epilepsy rescue medication", "Moving and handling (hoist)",
    "Personal care", "Makaton", "British Sign Language (BSL)", "PECS",
    "Positive behaviour support", "Oxygen and suction", "Catheter and stoma care",
    "Diabetes care", "Medication", "Autism training",
]
ACCESS = [
    "Step-free access", "Accessible toilet", "Changing Places toilet", "Hoist available",
    "Quiet room", "Sensory-friendly sessions", "Autism-trained staff", "Accessible parking",
    "Hearing loop", "Easy-read information", "Sensory room", "Accessible transport",
]
LANGUAGES = [
    "English", "British Sign Language", "Urdu", "Punjabi", "Bengali", "Polish", "Arabic",
    "Gujarati", "Hindi", "Somali", "Romanian", "Mandarin",
]
FUNDING = [
    ("Direct payment", "Money from the council that you manage to buy support."),
    ("Personal budget", "An amount the council agrees for your child's support."),
    ("Council-arranged", "The council arranges and pays for the service."),
    ("Self-funded", "You pay the provider yourself."),
    ("Carers' grant", "A grant to help a parent or carer have a break."),
]
GROUPS = {
    "Council moderators": [
        "access_admin", "view_organisation", "add_organisation", "change_organisation",
        "view_listingreport", "change_listingreport", "view_providerapplication",
        "add_servicetype", "change_servicetype", "delete_servicetype",
        "add_need", "change_need", "delete_need", "add_skill", "change_skill", "delete_skill",
        "add_accessfeature", "change_accessfeature", "delete_accessfeature",
        "add_language", "change_language", "delete_language",
        "add_fundingroute", "change_fundingroute", "delete_fundingroute",
    ],
    "Brokers": ["access_admin"],
    "Kitemark coordinators": ["access_admin"],
    "Young auditors": [],
    "Families": [],
}


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None

    Weekday = apps.get_model("directory", "Weekday")
    for number, name in enumerate(DAYS, start=1):
        Weekday.objects.update_or_create(id=number, defaults={"name": name})

    def seed(model_name, rows):
        Model = apps.get_model("directory", model_name)
        for order, row in enumerate(rows):
            name, *rest = row if isinstance(row, tuple) else (row,)
            defaults = {"sort_order": order, "name": name}
            if model_name == "ServiceType":
                defaults.update(kind=rest[0], description=rest[1])
            elif rest:
                defaults["description"] = rest[0]
            Model.objects.update_or_create(slug=slugify(name)[:80], defaults=defaults)

    seed("ServiceType", SERVICE_TYPES)
    seed("Need", NEEDS)
    seed("Skill", SKILLS)
    seed("AccessFeature", ACCESS)
    seed("Language", LANGUAGES)
    seed("FundingRoute", FUNDING)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*Permission.objects.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
