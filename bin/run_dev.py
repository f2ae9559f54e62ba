"""`make run`: the web server plus one Celery worker with beat, stopped together.

On the embedded default (no REDIS_URL) the broker is kombu's filesystem transport under var/
(tracker/settings.py makes its folders).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def main() -> int:
    address = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")
    commands = [
        [PYTHON, "manage.py", "runserver", address, "--noreload"],
        [PYTHON, "-m", "celery", "-A", "tracker", "worker", "--beat", "-l", "info", "--concurrency", "2",
         "-s", str(ROOT / "var" / "celerybeat-schedule")],
    ]
    processes = [subprocess.Popen(command, cwd=ROOT) for command in commands]
    print(f"Proposal Tracker: http://{address}/admin/  (Ctrl-C stops web, worker and beat)", flush=True)

    def stop(*_):
        for process in processes:
            if process.poll() is None:
                process.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    stop()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
