"""Restore an archive into an empty database and media folder (or over them with --replace)."""

from django.core.management.base import BaseCommand, CommandError

from backups import services
from backups.databases import BackupError


class Command(BaseCommand):
    help = ("从备份归档恢复数据库和上传文件；目标非空时拒绝，除非加 --replace。恢复后通知发送暂停，待工作人员确认。"
            " / Restore an archive; refuses a non-empty target unless --replace; pauses the outbox.")

    def add_arguments(self, parser):
        parser.add_argument("archive", help="tracker-YYYYMMDD-HHMMSS.tar")
        parser.add_argument("--replace", action="store_true", help="覆盖现有的数据库和上传文件 / overwrite existing data")

    def handle(self, *args, archive, replace, **options):
        try:
            result = services.restore_backup(archive=archive, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restore: {result}")
        self.stdout.write("通知发送已暂停：请提案办工作人员在后台“恢复后待确认的通知”中逐条或全部发送或取消，再恢复发送。")
