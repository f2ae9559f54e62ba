"""Media files (communication photos, minutes): listed with their SHA-256, for the manifest and
for checking a restore."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1024 * 1024


def media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(path relative to root with forward slashes, absolute path) of every file, sorted."""
    if not root.exists():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        yield path.relative_to(root).as_posix(), path


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def checksums(root: Path) -> dict[str, dict]:
    return {name: {"size": path.stat().st_size, "sha256": file_checksum(path)} for name, path in media_files(root)}


def has_files(root: Path) -> bool:
    return next(media_files(root), None) is not None


def empty_folder(root: Path) -> None:
    """Remove what the folder holds, not the folder itself (it may be a mounted volume)."""
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


class HashingReader:
    """A file object that hashes what tarfile reads from it: one pass both archives and checksums."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data
