"""Warnings the admin shows at the top of every page, for states the whole office must not miss
(the outbox paused after a restore, the last backup failed).

Upper apps contribute a source to the `admin_alerts` hook (tracker/extensions.py) in their
AppConfig.ready(); this floor never imports them. A source
takes the request and returns the alerts for it (usually none: one cheap query at most). Sources
speak on the admin's start page and on their own app's pages only, so the other pages keep their
fixed query counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tracker import extensions


@dataclass(frozen=True)
class Alert:
    text: str
    link: str = ""
    link_text: str = ""


def admin_page(request: HttpRequest) -> str:
    """The admin URL name of the page being rendered ("index", "notifications_notification_changelist"…)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.app_name == "admin":
        return match.url_name or ""
    # The start page (工作台, tracker/urls.py) stands where the admin's index was.
    return "index" if match.url_name == "workbench" else ""


def alerts_for(request: HttpRequest) -> list[Alert]:
    user = getattr(request, "user", None)
    if not (user and user.is_active and user.is_staff):
        return []
    return [alert for source in extensions.contributions("admin_alerts") for alert in source(request)]


def admin_alerts(request: HttpRequest) -> dict:
    """Context processor: lazy, so pages that never show the admin header run no query."""
    return {"admin_alerts": SimpleLazyObject(lambda: alerts_for(request))}
