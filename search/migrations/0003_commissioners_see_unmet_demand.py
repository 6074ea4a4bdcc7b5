from django.db import migrations


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Council moderators")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="search", codename="view_unmetdemand")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_unmet_demand"),
        ("directory", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
