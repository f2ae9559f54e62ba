"""`manage.py parse_letter FILE [FILE ...] [--json]`: parse published documents, write nothing.

With --json, prints a JSON array with one object per readable file (the contract of
`letters.parser`, then `doubts`: the fields left empty because their candidate failed a check,
each with the candidate and the reason in Chinese); without it, a short summary per file. A file that cannot be read is named
on stderr with the reason, the others are still parsed, and the command exits non-zero.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from letters.input_limits import read_document
from letters.parser import ParsedDocument, UnreadableDocument, parse_document


class Command(BaseCommand):
    help = "解析公开的答复函/政策文件并打印结果(不写数据库) / Parse published letters; writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--json", action="store_true", help="print a JSON array / 输出 JSON 数组")

    def handle(self, *args, files: list[str], json: bool = False, **options):
        results: list[ParsedDocument] = []
        failed = 0
        for name in files:
            try:
                data = read_document(Path(name))
                results.append(parse_document(data, filename=name))
            except (OSError, UnreadableDocument) as error:
                failed += 1
                reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
                self.stderr.write(f"{name}: {reason}")
        if json:
            self.stdout.write(_dumps([r.as_json() for r in results]))
        else:
            for result in results:
                self.stdout.write(_summary(result))
        if failed:
            raise CommandError(f"{failed} file(s) could not be read / {failed} 个文件无法读取", returncode=1)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _summary(document: ParsedDocument) -> str:
    record = document.as_dict()
    meeting = record["meeting"]
    lines = [f"{record['file']}: {record['doc_type']}"]
    if document.doc_type == "policy_document" and document.policy:
        lines.append(f"  标题 title: {record['title']}")
        lines.append(
            f"  章/条 chapters/articles: {len(document.policy.chapters)}/{len(document.policy.articles)}"
        )
    elif document.doc_type != "unknown":
        lines += [
            f"  会议 meeting: {meeting['name'] or '-'} ({meeting['body'] or '-'}, {meeting['region'] or '-'})",
            f"  {record['kind'] or '-'} 第{record['number'] or '?'}号 《{record['title'] or '?'}》",
            f"  提出人 proposers: {'、'.join(record['proposers']) or '-'}",
            f"  主办 lead: {record['lead_agency'] or '-'}  会办 assisting: {'、'.join(record['assisting_agencies']) or '-'}",
            f"  文号 number: {record['document_number'] or '-'}  落款 signed: {record['signed_on'] or '-'}"
            f"  发布 published: {record['published_on'] or '-'}",
            f"  联系人 contact: {record['contact_person'] or '-'} {record['contact_phone'] or ''}".rstrip(),
            f"  沟通 communications: {_communications(record['communications'])}",
            f"  类别 category: {record['reply_category'] or '-'}",
        ]
    for doubt in document.doubts:
        lines.append(f"  ? {doubt.field}: {doubt.reason}")
    for warning in document.warnings:
        lines.append(f"  ! {warning}")
    return "\n".join(lines)


def _communications(items: list[dict]) -> str:
    return ", ".join(f"{item['date'] or '?'} {item['mode']}" for item in items) or "-"
