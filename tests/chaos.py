"""Fault-injection harness for the reminder pipeline (its own servers, never the machine's Redis on 6379).

Pieces the chaos tests put together:
- ThrowawayRedis: a `redis-server` on a free port, no persistence, that can be SIGKILLed and
  restarted on the same port (the machine's Redis on 6379 is never touched);
- SmtpSink: a real SMTP server (aiosmtpd) in this process on a free port that counts every message
  it accepted by Message-ID, can refuse for a while (451) and always refuses some mailboxes (550);
- CeleryFleet: real `celery worker` and `celery beat` processes, each in its own process group so a
  SIGKILL takes the pool children too;
- Figures: the chaos report line, `chaos: planned N, sent N, duplicates D, lost L, failed-visible K,
  in-doubt W`.

`python -m tests.chaos report FILE` prints one line per scenario recorded in FILE (JSON
lines) and the totals line last; `make chaos` ends with it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from email.parser import BytesHeaderParser
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


def database_url() -> str:
    """The URL of the database this test runs on, for the processes it starts."""
    from django.db import connection

    settings = connection.settings_dict
    auth = quote(settings["USER"] or "postgres") + (f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


class ThrowawayRedis:
    """A private redis-server that keeps nothing on disk, as the design's Redis runs."""

    def __init__(self):
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="chaos-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> ThrowawayRedis:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.folder, "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def restart(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        self.kill()


class SmtpSink:
    """An SMTP server that counts accepted messages by Message-ID.

    `refuse_for(seconds)` answers 451 (try again later) to every DATA for a while; recipients
    whose address starts with `bounce` get 550 (no such mailbox) at RCPT, always.
    """

    def __init__(self):
        self.port = free_port()
        self.received: Counter[str] = Counter()
        self.refused = 0
        self._refuse_until = 0.0
        self.delay = 0.0  # seconds each accepted message takes, as on a real server
        self._lock = threading.Lock()
        self._hold = threading.Event()  # set: the next message is counted, then not answered
        self.holding = threading.Event()  # set once a message is held: its sender waits for "250"
        self._controller = None

    def start(self) -> SmtpSink:
        from aiosmtpd.controller import Controller  # a dev dependency: only the tests start a sink

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def hold_next(self) -> None:
        """Take the next message and leave its sender waiting for the answer until `release()`.

        A kill then always finds a send in progress, however fast the others go."""
        self._hold.set()

    def release(self) -> None:
        self._hold.clear()

    def refuse_for(self, seconds: float) -> None:
        self._refuse_until = time.monotonic() + seconds

    @property
    def refusing(self) -> bool:
        return time.monotonic() < self._refuse_until

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("bounce"):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            with self._lock:
                self.refused += 1
            return "451 4.3.0 Mail server busy, try again later"
        headers = BytesHeaderParser().parsebytes(envelope.original_content or envelope.content)
        # Counted before the reply: a client killed while waiting for "250" has handed the mail
        # over but cannot record it, which is exactly the in-doubt case.
        with self._lock:
            self.received[headers.get("Message-ID", "").strip()] += 1
        if self._hold.is_set():
            self.holding.set()
            while self._hold.is_set():
                await asyncio.sleep(0.05)
        elif self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 Accepted"

    def total(self) -> int:
        with self._lock:
            return sum(self.received.values())

    def snapshot(self) -> Counter[str]:
        with self._lock:
            return Counter(self.received)


class CeleryFleet:
    """Real Celery processes against the given database and broker, started and killed on demand."""

    def __init__(self, *, env: dict[str, str], log_folder: str | None = None):
        self.env = env
        self.log_folder = Path(log_folder or tempfile.mkdtemp(prefix="chaos-celery-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.services: dict[str, list[str]] = {}  # long-running ones, restarted by revive()
        self.restarts: list[str] = []

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = open(self.log_folder / f"{name}.log", "ab")
        process = subprocess.Popen(
            [sys.executable, *argv], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: a SIGKILL reaches the pool children
        )
        self.processes[name] = process
        return process

    def _service(self, name: str, argv: list[str]) -> subprocess.Popen:
        self.services[name] = argv
        return self._spawn(name, argv)

    def revive(self) -> list[str]:
        """Start again every worker or beat that exited on its own, as a supervisor would
        (compose `restart: unless-stopped`, systemd `Restart=always`). Returns their names."""
        revived = []
        for name, argv in self.services.items():
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                self._spawn(name, argv)
                revived.append(name)
        self.restarts += revived
        return revived

    def worker(self, name: str, *, concurrency: int = 2) -> subprocess.Popen:
        return self._service(name, [
            "-m", "celery", "-A", "tracker", "worker", "-l", "info", "-c", str(concurrency), "-n", f"{name}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ])

    def beat(self, name: str) -> subprocess.Popen:
        return self._service(name, [
            "-m", "celery", "-A", "tracker", "beat", "-l", "info",
            "--pidfile", str(self.log_folder / f"{name}.pid"), "-s", str(self.log_folder / f"{name}-schedule"),
            "--max-interval", "1",
        ])

    def command(self, name: str, *args: str) -> subprocess.Popen:
        return self._spawn(name, ["manage.py", *args])

    def kill(self, name: str) -> None:
        self.services.pop(name, None)
        process = self.processes.pop(name)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for name, process in list(self.processes.items()):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 10
        for name, process in list(self.processes.items()):
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            self.processes.pop(name, None)

    def log(self, name: str) -> str:
        path = self.log_folder / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def logs(self) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
                         for path in sorted(self.log_folder.glob("*.log")))


@dataclass
class Figures:
    scenario: str
    planned: int
    sent: int
    duplicates: int
    lost: int
    failed_visible: int
    in_doubt: int
    kills: int = 0
    seconds: float = 0.0
    restarts: int = 0  # processes that exited on their own and were started again

    def line(self, label: str = "chaos") -> str:
        return (f"{label}: planned {self.planned}, sent {self.sent}, duplicates {self.duplicates}, lost {self.lost}, "
                f"failed-visible {self.failed_visible}, in-doubt {self.in_doubt}")

    def record(self, path: str | None) -> None:
        if path:
            with open(path, "a", encoding="utf-8") as out:
                out.write(json.dumps(asdict(self), ensure_ascii=False) + "\n")


def report(path: str) -> int:
    """Print each scenario's line, then the totals line (last, as `make chaos` promises)."""
    rows = [Figures(**json.loads(line)) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows:
        print("chaos: no scenario recorded", file=sys.stderr)
        return 1
    for row in rows:
        restarts = f", {row.restarts} exited and restarted" if row.restarts else ""
        print(f"{row.line(f'  {row.scenario}')} ({row.seconds:.0f} s, {row.kills} kills{restarts})")
    total = Figures("total", *(sum(getattr(row, field) for row in rows) for field in
                               ("planned", "sent", "duplicates", "lost", "failed_visible", "in_doubt", "kills")))
    print(total.line())
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "report":
        sys.exit(report(sys.argv[2]))
    print("usage: python -m tests.chaos report FILE", file=sys.stderr)
    sys.exit(2)
