"""What lets the suite run in parallel (pytest-xdist) and reuse its databases between runs.

pyproject.toml loads this module with `-p tests.parallel`, so it is imported before pytest-django
reads the settings: each xdist worker (gw0, gw1 …) gets here

- its own Redis database: the base one of REDIS_URL minus the worker's number (…/15 → 15, 14 …),
  so a Celery worker a test starts never takes a task another test queued;
- its own var/ folder (media, mail files, the SQLite broker): TRACKER_VAR_DIR/<worker>;
- its own test database, which pytest-django names test_<name>_<worker> itself.

`--reuse-db` keeps each test database between runs, where that is safe: a run that did not end
cleanly, or a change to any migration or requirement since the database was made, builds it again
(the state lives in var/test-databases/). Transactional tests leave the database flushed, so a
reused one gets back, at the end of the run, the rows its migrations wrote.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS_DATABASES = 16  # Redis's default `databases`
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # set by xdist before a worker reads its options


def worker_number(worker: str = WORKER) -> int:
    return int(worker.removeprefix("gw")) if worker else 0


def redis_url_for_worker(url: str, number: int) -> str:
    """The same Redis, database (base - number) modulo 16: distinct for up to 16 workers."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base - number) % REDIS_DATABASES}"))


def _give_this_worker_its_own_services() -> None:
    if not WORKER:
        return
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = redis_url_for_worker(os.environ["REDIS_URL"], worker_number())
    var = os.environ.get("TRACKER_VAR_DIR") or str(ROOT / "var" / "test")
    os.environ["TRACKER_VAR_DIR"] = str(Path(var) / WORKER)


_give_this_worker_its_own_services()


# --- reusing a test database only where it is safe ----------------------------------------------


def schema_fingerprint() -> str:
    """Every migration and the pinned requirements: what a reused database was built from."""
    digest = hashlib.sha256()
    files = sorted(ROOT.glob("*/migrations/*.py")) + [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _state_file() -> Path:
    """Read before pytest-django renames the database to its test name, so the same at both ends."""
    global _STATE_FILE
    if _STATE_FILE is None:
        from django.conf import settings

        name = Path(str(settings.DATABASES["default"]["NAME"])).name
        _STATE_FILE = ROOT / "var" / "test-databases" / f"{name}-{WORKER or 'main'}.clean"
    return _STATE_FILE


_STATE_FILE: Path | None = None


def reusing(config: pytest.Config) -> bool:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return bool(config.getoption("reuse_db", False)) and engine.endswith("postgresql")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """A reused database must have ended its last run cleanly and match today's migrations."""
    if getattr(config, "workerinput", None) is None and config.getoption("numprocesses", None):
        return  # the xdist controller runs no test: each worker decides for its own database
    if not reusing(config):
        return
    state = _state_file()
    if not state.exists() or state.read_text() != schema_fingerprint():
        config.option.create_db = True
    state.unlink(missing_ok=True)  # written again only when this run ends cleanly


def restore_reused_database(connection) -> None:
    """Leave a reused database as its migrations made it, whatever the run's last test flushed."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    state = _state_file()
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(schema_fingerprint())


# --- sections of the terminal summary that tests fill, from any worker ----------------------------

SUMMARY_PROPERTY = "summary_section"
_SECTIONS: dict[str, list[str]] = {}


@pytest.fixture
def summary_section(request):
    """`summary_section(title, lines)`: a table shown at the end of the run (not a failure).
    It travels on the test's report, so it reaches the terminal from an xdist worker too."""

    def add(title: str, lines: list[str]) -> None:
        request.node.user_properties.append((SUMMARY_PROPERTY, (title, list(lines))))

    return add


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call":
        return
    for name, value in report.user_properties:
        if name == SUMMARY_PROPERTY:
            title, lines = value
            _SECTIONS.setdefault(title, []).extend(lines)


def pytest_terminal_summary(terminalreporter) -> None:
    for title, lines in _SECTIONS.items():
        terminalreporter.section(title)
        for line in lines:
            terminalreporter.write_line(line)
