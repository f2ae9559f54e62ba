"""The office's switch for each kind of work notice (all on, as before), which clerks may change."""

from django.db import migrations, models

from proposals.roles import grant_role_permissions

# The work notice kinds as they stood when this migration was written.
WORK_KINDS = ["new_assignment", "reassignment_requested", "reassignment_decided", "extension_requested",
              "extension_decided", "review_requested", "draft_returned", "reply_sent", "rating_received",
              "opinion_received", "opinion_overdue"]


def forwards(apps, schema_editor):
    Setting = apps.get_model("notifications", "WorkNoticeSetting")
    Setting.objects.bulk_create([Setting(kind=kind) for kind in WORK_KINDS], ignore_conflicts=True)
    grant_role_permissions(apps, {"clerk": {"notifications": ["view_worknoticesetting", "change_worknoticesetting"]}})


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0004_work_notices_preferences_digest'),
        ('proposals', '0002_roles_rules_grounds'),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkNoticeSetting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('new_assignment', '新交办'), ('reassignment_requested', '调整申请待决定'), ('reassignment_decided', '调整申请结果'), ('extension_requested', '延期申请待审批'), ('extension_decided', '延期申请结果'), ('review_requested', '答复函待签发'), ('draft_returned', '答复函退回修改'), ('reply_sent', '答复已送达'), ('rating_received', '收到评价'), ('opinion_received', '收到会办意见'), ('opinion_overdue', '会办意见逾期')], max_length=24, unique=True, verbose_name='通知')),
                ('in_app', models.BooleanField(default=True, verbose_name='站内消息')),
                ('email', models.BooleanField(default=True, verbose_name='电子邮件')),
            ],
            options={
                'verbose_name': '工作通知设置',
                'verbose_name_plural': '工作通知设置',
                'ordering': ['pk'],
            },
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
