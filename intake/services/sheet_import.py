"""What every import of a sheet shares (proposals, 交办 lists): preview, then confirm.

The preview reads the sheet safely (`read_sheet`: the header found wherever it sits, control
characters taken out and the cell refused), turns each line into the importer's row (an `ImportRow`),
checks the rows against what is registered and says, row by row, what would be written and what is
wrong (a `SheetPreview`); it writes nothing. The confirm step computes the same preview afresh inside
the importer's one transaction, refuses a file with any bad row unless the clerk asks for the valid
rows only (`refuse_bad_rows`), and writes the new rows through the workflow's batch verb
(`write_in_chunks`). Each importer supplies only its columns, its rows, its checks and its verb.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from intake.columns import find_layout, values_of, without_control_characters
from intake.spreadsheet import read_rows
from proposals.models import Meeting
from proposals.workflow import BatchOutcome
from tracker.errors import WorkflowError

NEW, UNCHANGED, CONFLICT, ERROR = "new", "unchanged", "conflict", "error"
OUTCOME_LABELS = {NEW: "新增", UNCHANGED: "已导入，跳过", CONFLICT: "编号冲突", ERROR: "有错误"}


@dataclass(frozen=True)
class RowProblem:
    column: str
    reason: str


# --- reading the sheet ------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetLine:
    """One non-empty row below the header: its number in the sheet, its text by field (control
    characters taken out) and (column label, reason) for each cell that held one."""

    number: int
    values: dict[str, str]
    unreadable: list[tuple[str, str]]


@dataclass(frozen=True)
class Sheet:
    header_row: int
    columns: list[str]  # the labels of the columns found, in the sheet's order
    lines: list[SheetLine]


def read_sheet(name: str, data: bytes, columns: dict, required: tuple[str, ...]) -> Sheet:
    """The sheet's lines under its header; a file that is no sheet or has no header is refused."""
    rows = read_rows(name, data)
    layout = find_layout(rows, columns, required)
    lines = [
        SheetLine(row.number, *without_control_characters(values_of(row, layout), columns))
        for row in rows
        if row.number > layout.header_row and not row.is_empty
    ]
    labels = [columns[f][0] for f in sorted(layout.columns, key=layout.columns.get)]
    return Sheet(header_row=layout.header_row, columns=labels, lines=lines)


# --- the preview ------------------------------------------------------------------------------


@dataclass
class ImportRow:
    """A line of the sheet as the importer reads it, with what is wrong with it."""

    row: int
    number: str = ""
    problems: list[RowProblem] = field(default_factory=list)
    conflict: bool = False
    already_done: bool = False  # registered (or assigned) exactly so already: skipped on confirm
    UNCHANGED_LABEL = OUTCOME_LABELS[UNCHANGED]

    @classmethod
    def of(cls, line: SheetLine, **values):
        """The row for a line of the sheet, refused already for each cell holding a control character."""
        return cls(row=line.number, problems=[RowProblem(column, reason) for column, reason in line.unreadable],
                   **values)

    @property
    def outcome(self) -> str:
        if self.problems:
            # A row is a conflict only when its number clashing is all that is wrong with it: an
            # empty title under a registered number is an error first.
            return CONFLICT if self.conflict and len(self.problems) == 1 else ERROR
        return UNCHANGED if self.already_done else NEW

    @property
    def outcome_label(self) -> str:
        return self.UNCHANGED_LABEL if self.outcome == UNCHANGED else OUTCOME_LABELS[self.outcome]

    def refuse(self, column: str, reason: str) -> None:
        self.problems.append(RowProblem(column, reason))


RowT = TypeVar("RowT", bound=ImportRow)


def flag_repeated_numbers(rows: list[RowT]) -> list[RowT]:
    """Refuse each row repeating an earlier row's number; the rows that bring a number first."""
    first_seen: dict[str, int] = {}
    firsts = []
    for row in rows:
        if not row.number:
            continue
        if row.number in first_seen:
            row.refuse("编号", f"编号{row.number}与第{first_seen[row.number]}行重复")
        else:
            first_seen[row.number] = row.row
            firsts.append(row)
    return firsts


@dataclass
class SheetPreview(Generic[RowT]):
    meeting: Meeting
    header_row: int
    columns: list[str]
    rows: list[RowT]

    def with_outcome(self, outcome: str) -> list[RowT]:
        return [row for row in self.rows if row.outcome == outcome]

    @property
    def bad_rows(self) -> list[RowT]:
        return [row for row in self.rows if row.problems]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(row.outcome for row in self.rows)
        return {outcome: counted.get(outcome, 0) for outcome in OUTCOME_LABELS}


# --- the confirm step -------------------------------------------------------------------------


@dataclass(frozen=True)
class NothingWritten:
    """How an importer says that a refused import wrote nothing (未导入任何数据, 未交办任何提案)."""

    zh: str
    en: str


def refuse_bad_rows(preview: SheetPreview, *, valid_rows_only: bool, nothing: NothingWritten) -> None:
    """A file with any bad row writes nothing, unless the clerk asks for the valid rows only."""
    bad = preview.bad_rows
    if bad and not valid_rows_only:
        raise WorkflowError(
            "import_has_errors", f"有{len(bad)}行存在错误或冲突,{nothing.zh}。请修改后重新上传,或选择“仅导入无误的行”",
            f"{len(bad)} rows have errors or conflicts; {nothing.en}",
        )


# Rows handed to a batch verb at a time, all in the import's one transaction: progress is shown
# between chunks, and the queries stay a handful per chunk.
CHUNK_ROWS = 1000


def in_chunks(rows: list) -> Iterator[tuple[int, list]]:
    """The rows in chunks of CHUNK_ROWS, each with how many rows are done once it is."""
    for start in range(0, len(rows), CHUNK_ROWS):
        chunk = rows[start:start + CHUNK_ROWS]
        yield start + len(chunk), chunk


def write_in_chunks(
    rows: list[RowT], write: Callable[[list[RowT]], BatchOutcome], *, nothing: NothingWritten,
    on_progress: Callable[[int, int], None] | None = None,
) -> list[BatchOutcome]:
    """Hand the rows to `write` (the workflow's batch verb) a chunk at a time; what it did, by chunk."""
    outcomes = []
    for done, chunk in in_chunks(rows):
        outcome = write(chunk)
        refuse_import_if_refused(outcome, chunk, nothing.zh)
        outcomes.append(outcome)
        if on_progress:
            on_progress(done, len(rows))
    return outcomes


def refuse_import_if_refused(outcome: BatchOutcome, chunk: list, nothing: str) -> None:
    """A row the preview passed but the workflow refuses (another clerk got there in between) ends
    the import: the transaction undoes every row, and the error names the row, as a bad row would."""
    if not outcome.refused:
        return
    index, refusal = min(outcome.refused.items(), key=lambda item: item[0])
    row = chunk[index]
    raise WorkflowError(
        refusal.code, f"第{row.row}行(编号{row.number}):{refusal.zh}。{nothing}",
        f"Row {row.row} (number {row.number}): {refusal.en} Nothing was written.", field=refusal.field,
    )
