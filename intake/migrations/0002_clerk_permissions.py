"""Clerks edit the agencies' duty keywords (the suggestions read them)."""

from django.db import migrations

CLERK_CODENAMES = ["view_agencyduty", "add_agencyduty", "change_agencyduty", "delete_agencyduty"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("intake")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    clerk, _ = Group.objects.get_or_create(name="clerk")
    clerk.permissions.add(*Permission.objects.filter(content_type__app_label="intake", codename__in=CLERK_CODENAMES))


class Migration(migrations.Migration):
    dependencies = [("intake", "0001_initial"), ("proposals", "0002_roles_rules_grounds")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
