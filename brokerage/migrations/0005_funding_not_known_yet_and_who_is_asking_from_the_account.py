
from django.db import migrations, models

# What the account form said ("Family account requested (young person)"), in the audit trail.
SAID = {"(young person)": "young_person", "(parent)": "parent_carer"}


def who_from_the_accounts(apps, schema_editor):
    """Families who made their account before it was kept: who the account is for, from the
    audit row written when they made it, or else from their last request's answers."""
    AuditEvent = apps.get_model("core", "AuditEvent")
    FamilyProfile = apps.get_model("brokerage", "FamilyProfile")
    User = apps.get_model("auth", "User")
    said = {}
    for object_id, summary in AuditEvent.objects.filter(
        action="account_requested", object_type="auth.user"
    ).values_list("object_id", "summary"):
        for words, requester in SAID.items():
            if summary.endswith(words) and object_id.isdigit():
                said[int(object_id)] = requester
    for profile in FamilyProfile.objects.filter(requester=""):
        requester = said.pop(profile.user_id, "") or (profile.answers or {}).get("requester", "")
        if requester:
            profile.requester = requester
            profile.save(update_fields=["requester"])
    existing = set(User.objects.filter(pk__in=said).values_list("pk", flat=True))
    FamilyProfile.objects.bulk_create(
        [
            FamilyProfile(user_id=user_id, requester=requester)
            for user_id, requester in said.items()
            if user_id in existing
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('brokerage', '0004_a_providers_record_of_an_agreement_outlives_the_family'),
        ('core', '0003_throttle_cache_and_outbox'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AddField(
            model_name='familyprofile',
            name='requester',
            field=models.CharField(blank=True, choices=[('parent_carer', 'A parent or carer, for my child'), ('young_person', 'A young person aged 16 or over, for myself')], max_length=16),
        ),
        migrations.AddField(
            model_name='supportrequest',
            name='funding_unknown',
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(who_from_the_accounts, migrations.RunPython.noop),
    ]
