"""`python manage.py import_assignments FILE --meeting ID [--on DATE] [--dry-run] [--valid-only] [--user NAME]`

The 交办 list of a 交办会: each proposal assigned through the workflow. Exit status 1, with every
bad row listed, when any row is bad (and, without --valid-only, nothing is written).
"""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console

from intake.management.commands._console import (
    meeting_or_fail,
    progress_bar,
    read_file,
    show_preview,
    user_or_fail,
)
from intake.services.assignment_import import import_assignments, preview_assignment_import
from intake.services.sheet_import import OUTCOME_LABELS
from tracker.errors import WorkflowError


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"日期“{text}”无效，请写成 2026-03-02") from error


class Command(BaseCommand):
    help = "导入交办清单（编号、主办单位、会办/协办单位、分办单位）：先预览，无误后逐件交办"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--meeting", type=int, required=True, help="会议编号（ID）")
        parser.add_argument("--on", type=iso_date, help="交办日期（默认今天），如 2026-03-02")
        parser.add_argument("--dry-run", action="store_true", help="只预览，不写入")
        parser.add_argument("--valid-only", action="store_true", help="有错误行时仅交办无误的行")
        parser.add_argument("--user", help="记入办理过程的提案办工作人员用户名（默认：第一个超级用户）")

    def handle(self, *args, **options):
        console = Console(file=self.stdout, soft_wrap=True)
        meeting = meeting_or_fail(options["meeting"])
        data = read_file(options["file"])
        try:
            preview = preview_assignment_import(meeting=meeting, name=options["file"], data=data, on=options["on"])
        except WorkflowError as error:
            raise CommandError(error.zh) from error
        counts = {OUTCOME_LABELS[key] if key != "unchanged" else "已按此交办，跳过": value
                  for key, value in preview.counts.items()}
        title = f"{meeting}：交办日期 {preview.on}，共{len(preview.rows)}行"
        if show_preview(console, preview, title=title, counts=counts, dry_run=options["dry_run"],
                        valid_only=options["valid_only"], refused="未交办任何提案"):
            self._import(console, meeting, options, data)
        if preview.bad_rows:
            sys.exit(1)

    def _import(self, console, meeting, options, data):
        user = user_or_fail(options["user"])
        with progress_bar(console, "交办") as advance:
            try:
                result = import_assignments(meeting=meeting, name=options["file"], data=data, by=user,
                                            on=options["on"], valid_rows_only=options["valid_only"],
                                            on_progress=advance)
            except WorkflowError as error:
                raise CommandError(error.zh) from error
        console.print(f"已交办 {result.assigned} 件（交办记录 {result.assignments} 条），"
                      f"已按此交办跳过 {result.unchanged} 行，未导入的问题行 {result.skipped_bad} 行。")
