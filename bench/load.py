"""`make bench-load`: the production stack (bin/stack.py, as docker-compose.yml) on loopback, on
the national office of `make bench-pages` when its database is given (the Makefile's default), else
on bench/load_seed.py's small office.

Three runs of 50 users (LOAD_USERS): the mix open-loop for 60 s (LOAD_SECONDS), tasks arriving at
LOAD_RATE a second in all whatever the answers take (locust's constant throughput per user): the
latencies at that rate; then the mix and the bare values() view each closed-loop, at full speed,
for 30 s (LOAD_BASELINE_SECONDS): their throughputs at saturation, whose quotient is the ratio.

Checks that no request failed and that every write made during the runs (notifications marked
read) is in the database afterwards; stops everything it started. The last line is
`load: N requests, E errors, p50 X ms, p99 Y ms, ratio R` (N, p50, p99 of the open-loop run).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bin import stack  # noqa: E402

SETTINGS = "bench.stack_settings"
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
BASELINE_SECONDS = int(os.environ.get("LOAD_BASELINE_SECONDS", "30"))
RATE = float(os.environ.get("LOAD_RATE", "3"))
LOCUST = Path(sys.executable).with_name("locust")


def run_locust(label: str, users: list[str], seconds: int, environment: dict) -> dict:
    prefix = stack.STATE / f"load-{label}"
    command = [str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(USERS),
               "-r", str(USERS), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{stack.PORT}",
               "--csv", str(prefix), "--only-summary", "--stop-timeout", "10", *users]
    result = subprocess.run(command, env=environment, cwd=ROOT, capture_output=True, text=True, check=False)
    (stack.STATE / f"load-{label}.log").write_text(result.stdout + result.stderr)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return {"requests": int(total["Request Count"]), "failures": int(total["Failure Count"]),
            "p50": float(total["50%"]), "p95": float(total["95%"]), "p99": float(total["99%"]),
            "rps": float(total["Requests/s"])}


def missing_writes(writes_file: Path) -> list[int]:
    from notifications.models import Notification

    marked = json.loads(writes_file.read_text())
    found = set(Notification.objects.filter(pk__in=marked, read_at__isnull=False).values_list("pk", flat=True))
    return [pk for pk in marked if pk not in found]


def national_credentials() -> dict:
    """Tokens of the first 60 members of the national office, and the clerk's and an agency's
    staff sessions (bench/national.py's people)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench import national
    from tracker.tokens import issue_token

    users = get_user_model().objects
    tokens = [issue_token(user=users.get(username=national.member_name(n))) for n in range(60)]
    sessions = {}
    for name in (national.CLERK, national.staff_name(0)):
        client = Client()
        client.force_login(users.get(username=name))
        sessions[name] = client.cookies["sessionid"].value
    return {"LOAD_MEMBER_TOKENS": tokens, "LOAD_CLERK_SESSION": sessions[national.CLERK],
            "LOAD_STAFF_SESSION": sessions[national.staff_name(0)]}


def main() -> int:
    web = next(step for step in stack.plan(SETTINGS) if step["name"] == "web")
    subprocess.run([sys.executable, str(ROOT / "bin" / "stack.py"), "start", "--settings", SETTINGS], check=True)
    try:
        os.environ.update({key: value for key, value in web["env"].items() if key != "PATH"})
        import django

        django.setup()
        from bench import load_seed, national

        if national.built():
            print("load: on the national office (five years, 46,000 proposals)", flush=True)
            made = national_credentials()
        else:
            load_seed.seed()
            made = load_seed.credentials()
        writes_file = stack.STATE / "load-writes.json"
        environment = {**os.environ, "LOAD_MEMBER_TOKENS": json.dumps(made["LOAD_MEMBER_TOKENS"]),
                       "LOAD_CLERK_SESSION": made["LOAD_CLERK_SESSION"],
                       "LOAD_STAFF_SESSION": made["LOAD_STAFF_SESSION"], "LOAD_WRITES_FILE": str(writes_file)}
        users = ["Member", "PublicReader", "Clerk", "AgencyStaff"]
        mix = run_locust("mix", users, SECONDS, {**environment, "LOAD_RATE_PER_USER": str(RATE / USERS)})
        lost = missing_writes(writes_file)
        saturated = run_locust("saturated", users, BASELINE_SECONDS,
                               {**environment, "LOAD_WRITES_FILE": str(stack.STATE / "load-saturated-writes.json")})
        baseline = run_locust("baseline", ["BaselineMember"], BASELINE_SECONDS,
                              {**environment, "LOAD_WRITES_FILE": str(stack.STATE / "load-baseline-writes.json")})
    finally:
        subprocess.run([sys.executable, str(ROOT / "bin" / "stack.py"), "stop"], check=False)
    written = len(json.loads(writes_file.read_text()))
    print(f"open loop at {RATE:g} tasks/s: {mix['rps']:.1f} requests/s, p50 {mix['p50']:.0f} ms, "
          f"p95 {mix['p95']:.0f} ms, p99 {mix['p99']:.0f} ms ({mix['requests']} requests, {mix['failures']} errors)")
    print(f"saturation: the mix {saturated['rps']:.1f} requests/s (p99 {saturated['p99']:.0f} ms); "
          f"bare values() view {baseline['rps']:.1f} requests/s ({baseline['requests']} requests, "
          f"{baseline['failures']} errors)")
    print(f"writes: {written} notifications marked read during the open-loop run, {len(lost)} missing afterwards")
    errors = mix["failures"] + saturated["failures"] + baseline["failures"] + len(lost)
    ratio = saturated["rps"] / baseline["rps"] if baseline["rps"] else 0.0
    print(f"load: {mix['requests']} requests, {errors} errors, p50 {mix['p50']:.0f} ms, p99 {mix['p99']:.0f} ms, "
          f"ratio {ratio:.2f}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
