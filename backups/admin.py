"""Backup runs in the admin: when each backup was taken, whether it worked, how big, how long."""

from django.contrib import admin
from tracker.admin_readonly import ReadOnlyAdmin
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backups import selectors
from backups.models import BackupRun


@admin.register(BackupRun)
class BackupRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "kind", "succeeded", "archive", "size", "duration", "archive_taken_at", "detail"]
    list_filter = ["kind", "succeeded"]
    fields = ["kind", "started_at", "finished_at", "succeeded", "archive", "size_bytes", "archive_taken_at", "detail"]
    readonly_fields = fields
    date_hierarchy = "started_at"

    @admin.display(description=_("大小"), ordering="size_bytes")
    def size(self, obj):
        return filesizeformat(obj.size_bytes) if obj.size_bytes is not None else "—"

    @admin.display(description=_("用时"))
    def duration(self, obj):
        return f"{obj.seconds:.1f} 秒"

    def changelist_view(self, request, extra_context=None):
        last = selectors.last_backup()
        if last is None:
            title = "备份记录（尚无备份）"
        else:
            outcome = "成功" if last.succeeded else "失败"
            title = f"备份记录（最近一次备份：{timezone.localtime(last.started_at):%Y-%m-%d %H:%M}，{outcome}）"
        return super().changelist_view(request, extra_context={**(extra_context or {}), "title": title})
