"""Benchmark: archive size and backup / restore times, through `manage.py backup` and `restore`.

    make bench-backups                 # demo data on SQLite and PostgreSQL, then 100,000 proposals
    BENCH_BACKUPS_SIZES=demo make bench-backups
    BENCH_BACKUPS_KEEP=1 …           # keep the 100,000-proposal source database afterwards

Data sets: the demo data of `make run` (migrate, load_seed_letters, create_demo_accounts) on a
scratch SQLite folder and on a scratch PostgreSQL database, and bench/api.py's 100,000 proposals
on PostgreSQL. Each is backed up, then restored into an empty database and media folder. Times are
those the service reports (without the command's start-up); the last line is
`backup ratio R` (restore time / backup time at the largest size).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_backups_bench")
BUILD_100K = (
    "import os, sys; sys.path.insert(0, 'bench'); import api; api.recreate_database(os.environ['DATABASE_URL']);"
    "import django; django.setup(); from django.core.management import call_command;"
    "call_command('migrate', verbosity=0); api.populate()"
)


def run(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{args[:2]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def environment(var: Path, url: str | None) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "MEDIA_ROOT", "BACKUP_DIR"}}
    env.update(TRACKER_VAR_DIR=str(var), DEBUG="1", LOG_LEVEL="WARNING")
    if url:
        env["DATABASE_URL"] = url
    return env


def recreate(url: str) -> None:
    name = url.rsplit("/", 1)[-1]
    assert "bench" in name, name
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop(url: str) -> None:
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[-1]}" WITH (FORCE)')


def measure(label: str, work: Path, source_url: str | None, target_url: str | None, build) -> tuple[float, float]:
    source = environment(work / "source", source_url)
    build(source)
    started = time.perf_counter()
    out = run(source, "manage.py", "backup")
    backup_wall = time.perf_counter() - started
    size, backup_s = re.search(r"\(([\d,]+) bytes, ([\d.]+) s\)", out).groups()
    archive = next((work / "source" / "backups").glob("tracker-*.tar"))
    target = environment(work / "target", target_url)
    started = time.perf_counter()
    out = run(target, "manage.py", "restore", str(archive))
    restore_wall = time.perf_counter() - started
    restore_s = re.search(r"restored in ([\d.]+) s", out).group(1)
    summary = re.search(r"restored in [\d.]+ s: (.*)$", out.splitlines()[0]).group(1)
    print(f"{label}: archive {int(size.replace(',', '')) / 1e6:.2f} MB; backup {backup_s} s "
          f"({backup_wall:.1f} s with start-up); restore {restore_s} s ({restore_wall:.1f} s with start-up); "
          f"{summary}", flush=True)
    return float(backup_s), float(restore_s)


def demo(env: dict) -> None:
    for command in (["migrate", "--noinput", "-v0"], ["load_seed_letters"], ["create_demo_accounts"]):
        run(env, "manage.py", *command)


def main() -> None:
    sizes = os.environ.get("BENCH_BACKUPS_SIZES", "demo,100k").split(",")
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores shared)")
    result = (0.0, 0.0)
    with tempfile.TemporaryDirectory(prefix="bench-backups-") as folder:
        work = Path(folder)
        if "demo" in sizes:
            result = measure("demo data, SQLite", work / "sqlite", None, None, demo)
            source_url, target_url = f"{BASE_URL}_demo", f"{BASE_URL}_demo_restore"
            recreate(source_url), recreate(target_url)
            result = measure("demo data, PostgreSQL", work / "pg", source_url, target_url, demo)
            drop(source_url), drop(target_url)
        if "100k" in sizes:
            source_url, target_url = f"{BASE_URL}_100k", f"{BASE_URL}_100k_restore"
            recreate(target_url)
            result = measure("100,000 proposals, PostgreSQL", work / "big", source_url, target_url,
                             lambda env: run({**env, "DEBUG": "0"}, "-c", BUILD_100K))
            drop(target_url)
            if not os.environ.get("BENCH_BACKUPS_KEEP"):
                drop(source_url)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"backup ratio {result[1] / result[0]:.2f}")


if __name__ == "__main__":
    main()
