"""Fail fast, with a clear message, when the test database or broker is not reachable."""

import os
import socket
import sys
from urllib.parse import urlparse


def reachable(url: str, default_port: int) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port), timeout=3):
            return True
    except OSError:
        return False


def main() -> int:
    checks = [("DATABASE_URL", "PostgreSQL", 5432), ("REDIS_URL", "Redis", 6379)]
    failed = False
    for variable, name, port in checks:
        url = os.environ.get(variable, "")
        if not url or not reachable(url, port):
            print(f"make test: {name} is not reachable at {url or '(unset ' + variable + ')'}; "
                  f"start it or set {variable}. / 无法连接 {name}。", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
