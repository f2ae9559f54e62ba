"""The floors between the apps hold (docs/architecture.md, the floors).

import-linter reads the contracts in pyproject.toml: tracker <- proposals <- replies <-
notifications | letters, and no import cycle between the modules of one app.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_app_imports_a_floor_above_it_and_no_app_has_an_import_cycle():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
