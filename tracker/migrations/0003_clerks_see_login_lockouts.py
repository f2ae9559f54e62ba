"""Clerks see failed logins and lockouts (django-axes) and may delete an attempt to lift a lock."""

from django.db import migrations

CLERK_AXES_PERMISSIONS = ["view_accessattempt", "delete_accessattempt", "view_accessfailurelog", "view_accesslog"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    axes = apps.get_app_config("axes")
    # Permissions are normally made after migrate; make them now so they can be granted.
    axes.models_module = True
    create_permissions(axes, apps=apps, verbosity=0)
    axes.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name="clerk")
    permissions = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="axes", codename__in=CLERK_AXES_PERMISSIONS
    )
    group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0002_cache_table"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
