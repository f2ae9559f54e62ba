"""The admin's loud warning while the outbox is paused after a restore (see tracker/alerts.py)."""

from django.urls import reverse
from django.utils import timezone

from notifications import selectors
from tracker.alerts import Alert, admin_page

# The clerk's start page and the pages where held notices are handled.
PAGES = {"index", "notifications_heldnotification_changelist", "notifications_outboxpause_changelist"}


def outbox_paused_alert(request) -> list[Alert]:
    if admin_page(request) not in PAGES:
        return []
    pause = selectors.open_outbox_pause()
    if pause is None:
        return []
    taken = (f"备份时间 {timezone.localtime(pause.archive_taken_at):%Y-%m-%d %H:%M}"
             if pause.archive_taken_at else "备份时间不详")
    waiting = selectors.held_notifications().count()
    if not waiting:
        return [Alert(
            text=f"通知发送仍暂停（数据库已从备份恢复，{taken}）：待确认的通知均已处理，请恢复发送。",
            link=reverse("admin:notifications_outboxpause_changelist"), link_text="去恢复发送",
        )]
    return [Alert(
        text=(f"通知发送已暂停：数据库已从备份恢复（{taken}），备份之后已发出的通知可能再次发送。"
              f"现有{waiting}条待确认，提案办工作人员逐条或全部“发送”或“取消发送”后，方可恢复发送。"),
        link=reverse("admin:notifications_heldnotification_changelist"),
        link_text="查看待确认的通知",
    )]
