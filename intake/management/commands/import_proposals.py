"""`python manage.py import_proposals FILE --meeting ID [--dry-run] [--valid-only] [--user NAME]`

Exit status 1, with every bad row listed, when any row is bad (and, without --valid-only, nothing
is written). The same service the admin's import page uses.
"""

from __future__ import annotations

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
from intake.services.proposal_import import import_proposals, preview_proposal_import
from intake.services.sheet_import import OUTCOME_LABELS
from tracker.errors import WorkflowError


class Command(BaseCommand):
    help = "从会议提案汇总表（.xlsx/.xls/.csv）导入提案/建议：先预览，无误后登记"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--meeting", type=int, required=True, help="会议编号（ID）")
        parser.add_argument("--dry-run", action="store_true", help="只预览，不写入")
        parser.add_argument("--valid-only", action="store_true", help="有错误行时仅导入无误的行")
        parser.add_argument("--user", help="记入办理过程的提案办工作人员用户名（默认：第一个超级用户）")

    def handle(self, *args, **options):
        console = Console(file=self.stdout, soft_wrap=True)
        meeting = meeting_or_fail(options["meeting"])
        data = read_file(options["file"])
        try:
            preview = preview_proposal_import(meeting=meeting, name=options["file"], data=data)
        except WorkflowError as error:
            raise CommandError(error.zh) from error
        counts = {OUTCOME_LABELS[key]: value for key, value in preview.counts.items()}
        title = f"{meeting}：表头在第{preview.header_row}行，共{len(preview.rows)}行"
        if show_preview(console, preview, title=title, counts=counts, dry_run=options["dry_run"],
                        valid_only=options["valid_only"], refused="未导入任何数据"):
            self._import(console, meeting, options, data)
        if preview.bad_rows:
            sys.exit(1)

    def _import(self, console, meeting, options, data):
        user = user_or_fail(options["user"])
        with progress_bar(console, "登记") as advance:
            try:
                result = import_proposals(meeting=meeting, name=options["file"], data=data, by=user,
                                          valid_rows_only=options["valid_only"], on_progress=advance)
            except WorkflowError as error:
                raise CommandError(error.zh) from error
        console.print(f"已登记 {result.created} 件，新建委员/代表 {result.members_created} 位，"
                      f"已导入跳过 {result.unchanged} 行，未导入的问题行 {result.skipped_bad} 行。")
