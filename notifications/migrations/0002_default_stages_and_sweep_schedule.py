"""The office's default reminder plan, the beat schedule of the sweep, and the clerks' permissions.

The sweep's schedule lives in django-celery-beat's tables so the office edits it in the admin
(定时任务). `start_time` in the past makes beat run the first sweep as soon as it starts.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from notifications.stages import install_default_stages
from proposals.roles import grant_role_permissions

SWEEP_TASK_NAME = "提醒通知扫描 / notifications sweep"

CLERK_PERMISSIONS = {
    "clerk": {
        "notifications": [
            "view_stage", "add_stage", "change_stage",
            "view_notification", "change_notification",
            "view_sentnotification", "change_sentnotification",
            "view_failednotification", "change_failednotification",
        ],
        "django_celery_beat": [
            "view_periodictask", "change_periodictask",
            "view_intervalschedule", "add_intervalschedule", "change_intervalschedule",
            "view_crontabschedule", "add_crontabschedule", "change_crontabschedule",
        ],
    },
}


def forwards(apps, schema_editor):
    install_default_stages(apps.get_model("notifications", "Stage"))
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every, _ = IntervalSchedule.objects.get_or_create(every=settings.NOTIFICATION_SWEEP_MINUTES, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=SWEEP_TASK_NAME,
        defaults={
            "task": "notifications.sweep", "interval": every, "enabled": True,
            "start_time": timezone.now(),
            "description": "按提醒环节计划到期的提醒并发送;间隔可在此修改。 / Plans due reminders and sends them.",
        },
    )
    grant_role_permissions(apps, CLERK_PERMISSIONS)


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP_TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("proposals", "0002_roles_rules_grounds"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
