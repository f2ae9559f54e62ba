"""`make bench-load`: the production stack (bin/stack.py, as docker-compose.yml) under 50
concurrent users for 60 s on loopback, then the same users against the bare values() view.

Checks that no request failed and that every write made during the run (notifications marked read)
is in the database afterwards; stops everything it started. The last line is
`load: N requests, E errors, p50 X ms, p99 Y ms, ratio R`, R = the mix's throughput over the
bare view's (aim R ≥ 0.5).
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
            "p50": float(total["50%"]), "p99": float(total["99%"]), "rps": float(total["Requests/s"])}


def missing_writes(writes_file: Path) -> list[int]:
    from notifications.models import Notification

    marked = json.loads(writes_file.read_text())
    found = set(Notification.objects.filter(pk__in=marked, read_at__isnull=False).values_list("pk", flat=True))
    return [pk for pk in marked if pk not in found]


def main() -> int:
    web = next(step for step in stack.plan(SETTINGS) if step["name"] == "web")
    subprocess.run([sys.executable, str(ROOT / "bin" / "stack.py"), "start", "--settings", SETTINGS], check=True)
    try:
        os.environ.update({key: value for key, value in web["env"].items() if key != "PATH"})
        import django

        django.setup()
        from bench import load_seed

        load_seed.seed()
        writes_file = stack.STATE / "load-writes.json"
        made = load_seed.credentials()
        environment = {**os.environ, "LOAD_MEMBER_TOKENS": json.dumps(made["LOAD_MEMBER_TOKENS"]),
                       "LOAD_CLERK_SESSION": made["LOAD_CLERK_SESSION"],
                       "LOAD_STAFF_SESSION": made["LOAD_STAFF_SESSION"], "LOAD_WRITES_FILE": str(writes_file)}
        mix = run_locust("mix", ["Member", "PublicReader", "Clerk", "AgencyStaff"], SECONDS, environment)
        lost = missing_writes(writes_file)
        baseline = run_locust("baseline", ["BaselineMember"], BASELINE_SECONDS,
                              {**environment, "LOAD_WRITES_FILE": str(stack.STATE / "load-baseline-writes.json")})
    finally:
        subprocess.run([sys.executable, str(ROOT / "bin" / "stack.py"), "stop"], check=False)
    written = len(json.loads(writes_file.read_text()))
    print(f"mix: {mix['rps']:.1f} requests/s; bare values() view: {baseline['rps']:.1f} requests/s "
          f"({baseline['requests']} requests, {baseline['failures']} errors)")
    print(f"writes: {written} notifications marked read during the run, {len(lost)} missing afterwards")
    errors = mix["failures"] + baseline["failures"] + len(lost)
    ratio = mix["rps"] / baseline["rps"] if baseline["rps"] else 0.0
    print(f"load: {mix['requests']} requests, {errors} errors, p50 {mix['p50']:.0f} ms, p99 {mix['p99']:.0f} ms, "
          f"ratio {ratio:.2f}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
