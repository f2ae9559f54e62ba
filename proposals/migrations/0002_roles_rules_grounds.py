from django.db import migrations

# Office defaults; clerks edit them in the admin. The grounds follow the national CPPCC
# proposal rules' list of matters not accepted as proposals.
NOT_ACCEPT_GROUNDS = [
    "涉及国家秘密的",
    "涉及民族、宗教等敏感问题不宜公开的",
    "属于司法机关、仲裁机构正在审理或者已经处理终结的",
    "涉及提案者本人及其亲属或者他人个人事务的",
    "为单位或者个人宣传推介具体产品、作品、项目的",
    "属于学术研究探讨的",
    "内容空泛、没有具体建议的",
    "一事多议、一案多事的",
    "超出本级政协职责范围的",
    "其他不宜作为提案的",
]


def forwards(apps, schema_editor):
    from proposals.roles import grant_role_permissions

    grant_role_permissions(apps)
    RuleSet = apps.get_model("proposals", "RuleSet")
    RuleSet.objects.get_or_create(name="本办默认规则", defaults={"is_default": True})
    NotAcceptGround = apps.get_model("proposals", "NotAcceptGround")
    for order, text in enumerate(NOT_ACCEPT_GROUNDS, start=1):
        NotAcceptGround.objects.get_or_create(text=text, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0001_initial"),
        ("tracker", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
