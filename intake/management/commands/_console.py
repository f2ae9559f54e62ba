"""What both import commands share: the clerk's user, a progress bar, the preview as a table."""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from intake.spreadsheet import MAX_FILE_BYTES
from proposals.models import Meeting


def meeting_or_fail(meeting_id: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise CommandError(f"没有编号为 {meeting_id} 的会议")
    return meeting


def user_or_fail(username: str | None):
    """The clerk the Events name: --user, else the first active superuser."""
    users = get_user_model().objects.filter(is_active=True)
    user = users.filter(username=username).first() if username else users.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError(f"找不到用户“{username}”" if username else "请用 --user 指定办理人（提案办工作人员）")
    return user


def read_file(path: str) -> bytes:
    """The file's bytes; one over the upload page's limit is refused before it is read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CommandError(f"无法打开文件 {path}：{error.strerror}") from error
    if len(data) > MAX_FILE_BYTES:
        raise CommandError(f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，未读取：{path}")
    return data


def problems_table(title: str, rows) -> Table:
    """Every bad row: its number in the file, the column, the reason."""
    table = Table(title=title, show_lines=False)
    for heading in ("行号", "编号", "列", "原因"):
        table.add_column(heading)
    for row in rows:
        for problem in row.problems:
            table.add_row(str(row.row), row.number or "—", problem.column, problem.reason)
    return table


def summary_table(title: str, counts: dict[str, int]) -> Table:
    table = Table(title=title)
    table.add_column("结果")
    table.add_column("行数", justify="right")
    for label, count in counts.items():
        table.add_row(label, str(count))
    return table


@contextmanager
def progress_bar(console: Console, description: str):
    """Yields a callback(done, total) that advances the bar."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


def show_preview(console, preview, *, title: str, counts: dict, dry_run: bool, valid_only: bool,
                 refused: str) -> bool:
    """Print the summary and the bad rows; True when the import should go ahead. `refused` says
    what was not done when bad rows stop it."""
    console.print(summary_table(title, counts))
    if preview.bad_rows:
        console.print(problems_table("有问题的行", preview.bad_rows))
    if dry_run:
        console.print("预览完成（--dry-run），未写入任何数据。")
        return False
    if preview.bad_rows and not valid_only:
        console.print(f"存在错误行，{refused}；修改后重试，或加 --valid-only 仅处理无误的行。")
        return False
    return True
