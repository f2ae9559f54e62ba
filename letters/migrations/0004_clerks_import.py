from django.db import migrations

# Clerks import published letters through the admin's review (公开文书 › 导入).
IMPORT_PERMISSIONS = {"clerk": {"letters": ["add_importeddocument"]}}


def forwards(apps, schema_editor):
    from proposals.roles import grant_role_permissions

    grant_role_permissions(apps, IMPORT_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_import_review")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
