from django.db import migrations

# Clerks keep the office's policy documents and see what was imported; rows are not per agency.
LETTER_ROLE_PERMISSIONS = {
    "clerk": {
        "letters": [
            "view_policydocument", "add_policydocument", "change_policydocument",
            "view_policyarticle", "add_policyarticle", "change_policyarticle", "delete_policyarticle",
            "view_importeddocument",
        ],
    },
    "agency_staff": {"letters": ["view_policydocument", "view_policyarticle"]},
    "agency_reviewer": {"letters": ["view_policydocument", "view_policyarticle"]},
}


def forwards(apps, schema_editor):
    from proposals.roles import grant_role_permissions

    grant_role_permissions(apps, LETTER_ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial"), ("proposals", "0002_roles_rules_grounds")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
