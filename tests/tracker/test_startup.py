"""What the service refuses at start-up, in fresh processes with only the environment given.

With DEBUG off: no SECRET_KEY → the web server (tracker.wsgi: gunicorn, runserver) refuses to
start and says why, while commands that sign nothing (migrate, check --deploy) still run; no shared
cache configured (CACHE_URL) → the database cache, never a per-process memory.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
KEY = "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def run(args, tmp_path, timeout=60, **environment):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8", "TRACKER_VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "tracker.settings", "PYTHONPATH": str(ROOT), **environment}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def test_web_application_refuses_to_load_without_a_secret_key(tmp_path):
    result = run([sys.executable, "-c", "import tracker.wsgi"], tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "未设置 SECRET_KEY" in result.stderr and "refuses to start" in result.stderr


def test_gunicorn_exits_instead_of_serving_500s(tmp_path):
    result = run([str(GUNICORN), "tracker.wsgi:application", "--bind", "127.0.0.1:0", "--workers", "1",
                  "--no-control-socket"], tmp_path, timeout=90, DEBUG="0")
    assert result.returncode != 0
    assert "未设置 SECRET_KEY" in result.stderr


def test_the_web_application_loads_with_a_secret_key(tmp_path):
    result = run([sys.executable, "-c", "import tracker.wsgi"], tmp_path, DEBUG="0", SECRET_KEY=KEY)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("command", [["check", "--deploy"], ["migrate", "--plan"]])
def test_commands_that_sign_nothing_still_run_without_a_key(tmp_path, command):
    result = run([sys.executable, "manage.py", *command], tmp_path, DEBUG="0")
    assert result.returncode == 0, result.stderr
    if command[0] == "check":
        assert "security.W009" in result.stderr  # and it warns about the missing key


PRINT_CACHE = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"


@pytest.mark.parametrize(("environment", "backend"), [
    ({"DEBUG": "0", "SECRET_KEY": KEY}, "django.core.cache.backends.db.DatabaseCache"),
    ({"DEBUG": "0", "SECRET_KEY": KEY, "CACHE_URL": "redis://127.0.0.1:6379/9"},
     "django.core.cache.backends.redis.RedisCache"),
    ({"DEBUG": "1"}, "django.core.cache.backends.locmem.LocMemCache"),
])
def test_production_never_counts_throttles_in_process_memory(tmp_path, environment, backend):
    result = run([sys.executable, "-c", f"import django; django.setup(); {PRINT_CACHE}"], tmp_path, **environment)
    assert result.stdout.strip() == backend, result.stderr


@pytest.mark.django_db
def test_the_database_cache_is_shared_between_processes(tmp_path, settings):
    """What one process counts, another sees: the cache table migration made, read from outside."""
    from django.core.cache import caches

    if "DatabaseCache" not in settings.CACHES["default"]["BACKEND"]:
        pytest.skip("CACHE_URL names a shared cache server")
    cache = caches["default"]
    cache.set("throttle-shared-check", 7)
    assert cache.get("throttle-shared-check") == 7
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM tracker_cache")
        assert cursor.fetchone()[0] >= 1
