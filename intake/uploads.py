"""An uploaded spreadsheet kept between preview and confirm (django-import-export does the same).

A file whose token has expired can no longer be confirmed: `remove_expired_uploads` (run by beat,
intake.tasks) deletes it, so unconfirmed members' data does not stay on disk and in every backup."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from intake.forms import UPLOAD_MAX_AGE, UPLOAD_SALT

UPLOAD_FOLDER = "intake/uploads"


def keep_upload(*, name: str, data: bytes, meeting_id: int, kind: str, options: dict) -> str:
    """Store the file; the returned signed token names it for the confirm step."""
    suffix = name.rsplit(".", 1)[-1].lower()
    path = default_storage.save(f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}.{suffix}", ContentFile(data))
    return signing.dumps({"path": path, "name": name, "meeting": meeting_id, "kind": kind, "options": options}, salt=UPLOAD_SALT)


def read_upload(token: dict) -> bytes | None:
    if not default_storage.exists(token["path"]):
        return None
    with default_storage.open(token["path"], "rb") as handle:
        return handle.read()


def forget_upload(token: dict) -> None:
    default_storage.delete(token["path"])


def remove_expired_uploads(*, now: dt.datetime | None = None) -> int:
    """Delete the kept uploads older than a token lives; returns how many were removed."""
    if not default_storage.exists(UPLOAD_FOLDER):
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(seconds=UPLOAD_MAX_AGE)
    removed = 0
    for name in default_storage.listdir(UPLOAD_FOLDER)[1]:
        path = f"{UPLOAD_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed
