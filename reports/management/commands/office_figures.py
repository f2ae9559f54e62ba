"""Print the office figures: `manage.py office_figures [--meeting ID] [--year YYYY] --json`."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from reports.figures import office_figures
from reports.filters import scope_from_options
from tracker.errors import WorkflowError


class Command(BaseCommand):
    help = "按会议、年度或届次输出提案/建议办理统计数据(含每项指标的口径)"

    def add_arguments(self, parser):
        parser.add_argument("--meeting", type=int, help="会议编号(ID)")
        parser.add_argument("--year", type=int, help="年度,如 2026")
        parser.add_argument("--term", type=int, help="届次,如 14")
        parser.add_argument("--kind", help="类型:proposal 提案 / suggestion 建议")
        parser.add_argument("--category", help="类别代码,如 science")
        parser.add_argument("--agency", type=int, help="承办单位编号(ID)")
        parser.add_argument("--as-of", help="统计日(YYYY-MM-DD),默认今天")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        try:
            scope = scope_from_options(options)
        except WorkflowError as error:
            raise CommandError(error.zh) from error
        figures = office_figures(scope)
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        totals = figures["totals"]
        for key in ("received", "accepted", "assigned", "replied", "replied_on_time", "overdue"):
            self.stdout.write(f"{figures['definitions'][key]['label']}:{totals[key]}")
