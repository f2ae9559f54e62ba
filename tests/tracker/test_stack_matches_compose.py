"""`make stack` runs what docker-compose.yml runs: bin/stack.py reads its processes from the compose
file, so this checks the reading covers every service and changes only what names the network."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bin import stack  # noqa: E402

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
NETWORK_NAMES = set(stack.local_overrides())


def by_name():
    return {step["name"]: step for step in stack.plan()}


def test_every_compose_service_is_run_or_replaced_here():
    assert set(COMPOSE["services"]) == set(stack.APP_SERVICES) | stack.REPLACED_SERVICES | stack.ON_DEMAND_SERVICES
    assert set(by_name()) == {"mail", *stack.APP_SERVICES}


def test_each_process_runs_its_compose_command():
    steps = by_name()
    for name in stack.APP_SERVICES:
        command = COMPOSE["services"][name]["command"]
        expected = shlex.split(command) if isinstance(command, str) else command
        expected = [part.replace("0.0.0.0:8000", f"127.0.0.1:{stack.PORT}") for part in expected]
        assert steps[name]["argv"] == expected, name
    assert "gunicorn tracker.wsgi:application" in steps["web"]["argv"][-1]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in steps["beat"]["argv"]


def test_each_process_gets_the_compose_environment_with_local_hosts_only(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    steps = by_name()
    compose_env = COMPOSE["services"]["web"]["environment"]
    for name in stack.APP_SERVICES:
        env = steps[name]["env"]
        assert set(compose_env) <= set(env), name
        for key in set(compose_env) - NETWORK_NAMES:
            assert env[key] == stack.interpolate(compose_env[key], {"SECRET_KEY": "x" * 60, **dict(env)}), key
        assert env["DEBUG"] == "0" and env["CACHE_URL"].startswith("redis://")
        assert "GUNICORN_CMD_ARGS" in env and env["SECRET_KEY"] == "x" * 60


def test_compose_interpolation():
    environ = {"SET": "value", "EMPTY": ""}
    assert stack.interpolate("${SET:-d} ${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} $$HOME", environ) == "value d d  $HOME"
