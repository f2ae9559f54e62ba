"""What a locked-out login sees (django-axes calls `lockout_response`, see AXES_* in settings).

The admin gets a page in Chinese saying how long to wait and whom to ask; the API gets its usual
JSON error body, so clients and the schema (429 on the token endpoint) stay true.
"""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.shortcuts import render

from tracker.api import JSONResponse, error_body, in_language

LOCKED_STATUS = 429


def cooloff_minutes(request) -> int:
    cool_off = get_cool_off(request)
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


def lockout_response(request, original_response=None, credentials=None):
    minutes = cooloff_minutes(request)
    if request.path.startswith("/api/"):
        detail = in_language(f"登录失败次数过多，该账号在此地址已暂停登录{minutes}分钟",
                             f"Too many failed logins: this account is locked from this address for {minutes} minutes.")
        return JSONResponse(error_body("locked_out", detail), status=LOCKED_STATUS)
    return render(request, "tracker/lockout.html", {"minutes": minutes, "title": "登录已暂停"}, status=LOCKED_STATUS)
