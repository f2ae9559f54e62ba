from django.db import migrations

# Model permissions for the reply work; which rows a user may touch is proposals.access's job.
REPLY_ROLE_PERMISSIONS = {
    "clerk": {
        "replies": [
            "view_reply", "view_assistingopinion", "view_feedback",
            "view_replycategory", "change_replycategory",
            "view_communicationwaiver", "add_communicationwaiver",
        ],
    },
    "agency_staff": {
        "replies": [
            "view_reply", "add_reply", "change_reply",
            "view_assistingopinion", "add_assistingopinion", "change_assistingopinion",
            "view_feedback", "view_communicationwaiver",
        ],
    },
    "agency_reviewer": {
        "replies": ["view_reply", "view_assistingopinion", "view_feedback", "view_communicationwaiver"],
    },
}


def forwards(apps, schema_editor):
    from proposals.roles import grant_role_permissions

    grant_role_permissions(apps, REPLY_ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("replies", "0003_waiver_editor_due_on"), ("proposals", "0002_roles_rules_grounds")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
