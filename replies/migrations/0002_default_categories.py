from django.db import migrations

# National NPC practice (A-D); an office using A-C deactivates D in the admin.
CATEGORIES = [
    ("A", "所提问题已经解决或基本解决", False),
    ("B", "所提问题正在解决或已列入计划逐步解决", True),
    ("C", "所提问题因条件限制暂时不能解决", False),
    ("D", "所提问题留作参考", False),
]


def forwards(apps, schema_editor):
    ReplyCategory = apps.get_model("replies", "ReplyCategory")
    for code, label, follow_up in CATEGORIES:
        ReplyCategory.objects.get_or_create(code=code, defaults={"label": label, "needs_follow_up": follow_up})


class Migration(migrations.Migration):
    dependencies = [("replies", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
