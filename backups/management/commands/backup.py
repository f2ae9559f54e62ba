"""Take one backup now (database + media + manifest) and, with --prune, keep only the right ones."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from backups import services
from backups.databases import BackupError


class Command(BaseCommand):
    help = "备份数据库和上传文件到一个带日期的归档文件 / Back up the database and media into one dated archive."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=None, help="归档目录（默认 BACKUP_DIR）/ archive folder")
        parser.add_argument("--prune", action="store_true",
                            help="备份后只保留最近 BACKUP_KEEP_DAILY 天与 BACKUP_KEEP_MONTHLY 个月的归档")

    def handle(self, *args, dir, prune, **options):
        try:
            result = services.take_backup(backup_dir=dir)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup: {result}")
        if prune:
            deleted = services.prune_backups(backup_dir=dir, keep_daily=settings.BACKUP_KEEP_DAILY,
                                             keep_monthly=settings.BACKUP_KEEP_MONTHLY)
            self.stdout.write(f"prune: deleted {len(deleted)} old archive(s)" +
                              "".join(f"\n  {path.name}" for path in deleted))
