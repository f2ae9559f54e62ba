"""Load published letters and documents as historical records: `load_seed_letters [PATH ...]`."""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from letters.services import load_document

TEXT_SUFFIXES = {".txt", ".htm", ".html", ".docx", ".pdf", ""}


class Command(BaseCommand):
    help = "Load reply letters and policy documents (default: seeds/) as historical records."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or folders (default: seeds/)")
        parser.add_argument("--dry-run", action="store_true", help="read and check everything, write nothing")

    def handle(self, *args, paths, dry_run, **options):
        files = self._files(paths or [settings.BASE_DIR / "seeds"])
        if not files:
            raise CommandError("没有可导入的文件 / No files to load.")
        outcomes = []
        for index, path in enumerate(files, start=1):
            self._progress(index, len(files), path.name)
            outcomes.append(load_document(path, dry_run=dry_run))
        self.stderr.write("")
        self._summary(outcomes)
        failed = [o for o in outcomes if o.status == "failed"]
        if failed:
            raise CommandError(f"{len(failed)} 个文件未能导入 / {len(failed)} file(s) failed.")

    def _files(self, paths) -> list[Path]:
        files = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
            else:
                files.append(path)
        return files

    def _progress(self, index: int, total: int, name: str) -> None:
        width = 24
        filled = width * index // total
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {index}/{total} {name[:40]:<40}", ending="")
        self.stderr.flush()

    def _summary(self, outcomes) -> None:
        totals = Counter()
        self.stdout.write(f"{'file':<32} {'type':<18} {'result':<13} details")
        for outcome in outcomes:
            totals.update(outcome.created)
            details = outcome.message or ", ".join(f"{k} {v}" for k, v in sorted(outcome.created.items()) if v)
            self.stdout.write(f"{Path(outcome.file).name:<32} {outcome.doc_type or '-':<18} {outcome.status:<13} {details}")
        statuses = Counter(outcome.status for outcome in outcomes)
        self.stdout.write(
            "total: " + ", ".join(f"{status} {count}" for status, count in sorted(statuses.items()))
            + ("; new records: " + ", ".join(f"{k} {v}" for k, v in sorted(totals.items()) if v) if totals else "")
        )
