"""An uploaded spreadsheet kept between preview and confirm (django-import-export does the same)."""

from __future__ import annotations

import uuid

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from intake.forms import UPLOAD_SALT


def keep_upload(*, name: str, data: bytes, meeting_id: int, kind: str, options: dict) -> str:
    """Store the file; the returned signed token names it for the confirm step."""
    suffix = name.rsplit(".", 1)[-1].lower()
    path = default_storage.save(f"intake/uploads/{uuid.uuid4().hex}.{suffix}", ContentFile(data))
    return signing.dumps({"path": path, "name": name, "meeting": meeting_id, "kind": kind, "options": options}, salt=UPLOAD_SALT)


def read_upload(token: dict) -> bytes | None:
    if not default_storage.exists(token["path"]):
        return None
    with default_storage.open(token["path"], "rb") as handle:
        return handle.read()


def forget_upload(token: dict) -> None:
    default_storage.delete(token["path"])
