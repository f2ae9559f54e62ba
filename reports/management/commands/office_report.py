"""Write the year-end 办理工作情况报告: `manage.py office_report --meeting ID --out FILE.docx`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.documents import office_report_docx
from reports.figures import office_figures
from reports.filters import describe, scope_from_options
from tracker.errors import WorkflowError


class Command(BaseCommand):
    help = "生成某次会议的提案/建议办理工作情况报告(.docx,GB/T 9704 版式)"

    def add_arguments(self, parser):
        parser.add_argument("--meeting", type=int, required=True, help="会议编号(ID)")
        parser.add_argument("--out", required=True, help="输出文件,如 report.docx")
        parser.add_argument("--as-of", help="统计日(YYYY-MM-DD),默认今天")

    def handle(self, *args, **options):
        out = Path(options["out"])
        if out.suffix.lower() != ".docx":
            raise CommandError("输出文件须以 .docx 结尾")
        if not out.parent.is_dir():
            raise CommandError(f"目录不存在:{out.parent}")
        try:
            scope = scope_from_options(options)
        except WorkflowError as error:
            raise CommandError(error.zh) from error
        filters = describe(scope)
        out.write_bytes(office_report_docx(office_figures(scope), filters, scope=scope))
        self.stdout.write(f"已生成 {out}")
