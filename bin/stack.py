"""`make stack`: what docker-compose.yml starts, run here without Docker.

The processes are read from docker-compose.yml itself (and gunicorn's options from the Dockerfile),
so the two cannot drift: every service built from the image (web, worker, beat) runs its compose
command with the compose environment. Only what names the compose network is replaced, each by its
counterpart on this machine:

    postgres  → the local PostgreSQL (STACK_DATABASE_URL)
    redis     → the local Redis (STACK_REDIS_URL, broker and shared cache)
    mailpit   → an aiosmtpd sink on loopback
    backup    → not kept running: `make backup` runs the same job on demand
    0.0.0.0:8000 → 127.0.0.1:STACK_PORT, /app/media → var/stack/media
    the image's build (collectstatic) → collectstatic into var/stack/static before web starts

    python bin/stack.py start [--settings MODULE]   # waits until /healthz/ answers
    python bin/stack.py stop                        # stops what start started, by process id
    python bin/stack.py plan                        # prints the processes and their environment
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("STACK_DIR", ROOT / "var" / "stack"))
VENV_BIN = Path(sys.executable).parent
APP_SERVICES = ("web", "worker", "beat")  # built from the image; postgres, redis, mailpit are replaced
REPLACED_SERVICES = {"postgres", "redis", "mailpit"}
# Scheduled jobs the stack does not keep running here: `make backup` runs the same job on demand.
ON_DEMAND_SERVICES = {"backup"}
PORT = int(os.environ.get("STACK_PORT", "8765"))
MAIL_PORT = int(os.environ.get("STACK_MAIL_PORT", "8766"))


def local_overrides() -> dict[str, str]:
    """The compose values that name its network, as they are on this machine."""
    redis_url = os.environ.get("STACK_REDIS_URL", "redis://127.0.0.1:6379/9")
    return {
        "DATABASE_URL": os.environ.get("STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_stack"),
        "REDIS_URL": redis_url,
        "CACHE_URL": redis_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(MAIL_PORT),
        "MEDIA_ROOT": str(STATE / "media"),
        "STATIC_ROOT": str(STATE / "static"),  # the image collects into /app/staticfiles at build
    }


_VARIABLE = re.compile(r"\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def interpolate(text: str, environ: dict[str, str]) -> str:
    """Compose's ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error} and $$."""

    def value(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.group(1), match.group(2), match.group(3) or ""
        current = environ.get(name)
        if operator in (":-", "-"):
            return current if current or (operator == "-" and current is not None) else argument
        if operator in (":?", "?") and not current:
            raise SystemExit(f"stack: {name} is required: {argument}")
        return current or ""

    return _VARIABLE.sub(value, str(text))


def stack_secret_key() -> str:
    """Made once per var/stack and kept there (mode 600), so every process of the stack, its restarts
    and the benchmark's own setup sign with the same key; SECRET_KEY in the environment wins."""
    path = STATE / "secret_key"
    if not path.exists():
        STATE.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def image_environment() -> dict[str, str]:
    """ENV lines of the Dockerfile (gunicorn's options), as the image gives them to every process."""
    found = {}
    for name, raw in re.findall(r'^ENV (\w+)=(".*?"|\S+)\s*$', (ROOT / "Dockerfile").read_text(), re.M):
        found[name] = raw.strip('"')
    return found


def plan(settings_module: str | None = None) -> list[dict]:
    """Each process to run: name, argv, environment, working directory."""
    spec = compose()
    unknown = set(spec["services"]) - set(APP_SERVICES) - REPLACED_SERVICES - ON_DEMAND_SERVICES
    if unknown:
        raise SystemExit(f"stack: docker-compose.yml has services this script does not know: {sorted(unknown)}")
    source = {"SECRET_KEY": stack_secret_key(), **os.environ}
    processes = [{
        "name": "mail",
        "argv": [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{MAIL_PORT}", "-c", "aiosmtpd.handlers.Sink"],
        "env": {"PATH": os.environ.get("PATH", "")},
    }]
    for name in APP_SERVICES:
        service = spec["services"][name]
        environment = {key: interpolate(value, source) for key, value in service["environment"].items()}
        environment.update(local_overrides())
        environment.update(image_environment())
        if settings_module:
            environment["DJANGO_SETTINGS_MODULE"] = settings_module
        environment.update({
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",  # `python`, `gunicorn`, `celery` of this venv
            "PYTHONPATH": str(ROOT),
            "HOME": str(STATE),
            "LANG": "C.UTF-8",
        })
        command = service["command"]
        argv = shlex.split(command) if isinstance(command, str) else list(command)
        argv = [part.replace("0.0.0.0:8000", f"127.0.0.1:{PORT}") for part in argv]
        processes.append({"name": name, "argv": argv, "env": environment})
    return processes


def pid_file(name: str) -> Path:
    return STATE / f"{name}.pid"


def start(settings_module: str | None) -> None:
    if any(pid_file(name).exists() for name in ("mail", *APP_SERVICES)):
        raise SystemExit("stack: already started (var/stack/*.pid); run `make stack-stop` first")
    (STATE / "media").mkdir(parents=True, exist_ok=True)
    steps = plan(settings_module)
    web_env = next(step["env"] for step in steps if step["name"] == "web")
    ensure_database(web_env["DATABASE_URL"])
    # The Dockerfile's build step: the manifest static storage (DEBUG off) needs collected files.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=web_env, cwd=ROOT, check=True)
    for step in steps:
        if step["name"] == "worker":
            wait_until_healthy()  # compose: worker and beat wait for a healthy web (migrations done)
        log = open(STATE / f"{step['name']}.log", "ab")  # noqa: SIM115 (the child keeps it open)
        process = subprocess.Popen(step["argv"], env=step["env"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        pid_file(step["name"]).write_text(str(process.pid))
        print(f"stack: {step['name']} started (pid {process.pid}), log var/stack/{step['name']}.log")
    print(f"stack: serving http://127.0.0.1:{PORT}/ (admin /admin/, API /api/v1/, public /public/replies/)")


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def wait_until_healthy(timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if not is_running("web"):
            raise SystemExit("stack: web exited; see var/stack/web.log")
        time.sleep(1)
    raise SystemExit("stack: web did not become healthy; see var/stack/web.log")


def is_running(name: str) -> bool:
    try:
        os.kill(int(pid_file(name).read_text()), 0)
    except (FileNotFoundError, ProcessLookupError, ValueError):
        return False
    return True


def stop() -> None:
    """SIGTERM to each process group start made (its own session), then SIGKILL what is left."""
    for name in reversed(("mail", *APP_SERVICES)):
        path = pid_file(name)
        if not path.exists():
            continue
        pid = int(path.read_text())
        try:
            os.killpg(pid, signal.SIGTERM)
            for _ in range(60):
                time.sleep(0.5)
                os.killpg(pid, 0)
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        path.unlink()
        print(f"stack: {name} stopped")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "plan", "wait"])
    parser.add_argument("--settings", help="DJANGO_SETTINGS_MODULE for every process (the benchmark's)")
    args = parser.parse_args()
    STATE.mkdir(parents=True, exist_ok=True)
    if args.action == "start":
        start(args.settings)
        wait_until_healthy()
        print("stack: healthy")
    elif args.action == "wait":
        wait_until_healthy()
    elif args.action == "stop":
        stop()
    else:
        for step in plan(args.settings):
            print(step["name"], shlex.join(step["argv"]))


if __name__ == "__main__":
    main()
