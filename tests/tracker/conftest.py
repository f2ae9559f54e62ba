"""The calendar tests' own section of pytest's terminal summary (the history table)."""

import pytest

_SUMMARY_LINES: list[str] = []


@pytest.fixture(scope="session")
def summary_lines() -> list[str]:
    """Lines a test wants shown at the end of a normal run: a table to read, not a failure."""
    return _SUMMARY_LINES


def pytest_terminal_summary(terminalreporter):
    if _SUMMARY_LINES:
        terminalreporter.section("法定节日推算与已公布节假日安排对比")
        for line in _SUMMARY_LINES:
            terminalreporter.write_line(line)
