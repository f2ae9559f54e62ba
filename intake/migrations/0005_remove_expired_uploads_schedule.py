"""Beat removes every hour the uploaded spreadsheets whose preview was never confirmed (their
token has expired). Kept in django-celery-beat's tables, beside the notifications sweep, so the
office sees it under 定时任务."""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "删除过期的未确认上传 / remove expired intake uploads"


def forwards(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name=TASK_NAME,
        defaults={
            "task": "intake.remove_expired_uploads", "interval": hourly, "enabled": True,
            "start_time": timezone.now(),
            "description": "删除预览后一天内未确认导入的汇总表文件。 / Removes uploads not confirmed within a day.",
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_body_similarity"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
