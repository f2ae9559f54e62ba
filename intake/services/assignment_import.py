"""Import the 交办 list of a 交办会 (编号, 主办单位, 会办/协办单位, 分办单位): preview, then confirm.

Agencies are found by full name or alias among the meeting's region's agencies; an unknown one is
a row error, never created. The proposals are assigned through `proposals.workflow.assign_proposals`
(the rules of `assign_proposal` in bulk: its deadlines, Events and one-lead guard), so a proposal
is assigned whole or not at all. As for
proposals, a list with any bad row writes nothing unless the clerk asks for the valid rows only,
and the whole import is one transaction. A row already assigned exactly so is skipped: importing
the list twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from intake import fields as parse
from intake.agencies import AgencyNames
from intake.columns import (
    ASSIGNMENT_COLUMNS, ASSIGNMENT_REQUIRED, without_control_characters, find_layout, values_of,
)
from intake.services.proposal_import import OUTCOME_LABELS, RowProblem, in_chunks, refuse_import_if_refused
from intake.spreadsheet import read_rows
from proposals.models import Agency, Assignment, Meeting, Proposal
from proposals.workflow import AssignmentPlan, assign_proposals
from tracker.errors import WorkflowError

NEW, UNCHANGED, CONFLICT, ERROR = "new", "unchanged", "conflict", "error"
ROLE_COLUMNS = (("lead", "主办单位", Assignment.Role.LEAD), ("joint", "分办单位", Assignment.Role.JOINT),
                ("assisting", "会办单位", Assignment.Role.ASSISTING))


@dataclass
class AssignmentRow:
    row: int
    number: str = ""
    proposal: Proposal | None = None
    lead: Agency | None = None
    joint: list[Agency] = field(default_factory=list)
    assisting: list[Agency] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    conflict: bool = False
    already_assigned: bool = False

    @property
    def outcome(self) -> str:
        if self.problems:
            # A row is a conflict only when its number clashing is all that is wrong with it: an
            # empty title under a registered number is an error first.
            return CONFLICT if self.conflict and len(self.problems) == 1 else ERROR
        return UNCHANGED if self.already_assigned else NEW

    @property
    def outcome_label(self) -> str:
        return {**OUTCOME_LABELS, UNCHANGED: "已按此交办,跳过"}[self.outcome]

    @property
    def title(self) -> str:
        return self.proposal.title if self.proposal else ""

    def planned(self) -> set[tuple[int, str]]:
        pairs = {(self.lead.pk, Assignment.Role.LEAD)} if self.lead else set()
        pairs |= {(a.pk, Assignment.Role.JOINT) for a in self.joint}
        return pairs | {(a.pk, Assignment.Role.ASSISTING) for a in self.assisting}

    def refuse(self, column: str, reason: str) -> None:
        self.problems.append(RowProblem(column, reason))


@dataclass
class AssignmentImportPreview:
    meeting: Meeting
    on: dt.date
    header_row: int
    columns: list[str]
    rows: list[AssignmentRow]

    def with_outcome(self, outcome: str) -> list[AssignmentRow]:
        return [row for row in self.rows if row.outcome == outcome]

    @property
    def bad_rows(self) -> list[AssignmentRow]:
        return [row for row in self.rows if row.problems]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(row.outcome for row in self.rows)
        return {outcome: counted.get(outcome, 0) for outcome in OUTCOME_LABELS}


@dataclass(frozen=True)
class AssignmentImportResult:
    assigned: int
    assignments: int
    unchanged: int
    skipped_bad: int


def preview_assignment_import(
    *, meeting: Meeting, name: str, data: bytes, on: dt.date | None = None
) -> AssignmentImportPreview:
    """What importing the 交办 list would do, row by row, with every problem; writes nothing."""
    sheet = read_rows(name, data)
    layout = find_layout(sheet, ASSIGNMENT_COLUMNS, ASSIGNMENT_REQUIRED)
    names = AgencyNames(meeting.region)
    rows = [
        _parse_row(row.number, values_of(row, layout), names)
        for row in sheet
        if row.number > layout.header_row and not row.is_empty
    ]
    _attach_proposals(meeting, rows)
    columns = [ASSIGNMENT_COLUMNS[f][0] for f in sorted(layout.columns, key=layout.columns.get)]
    return AssignmentImportPreview(meeting=meeting, on=on or timezone.localdate(), header_row=layout.header_row,
                                   columns=columns, rows=rows)


@transaction.atomic
def import_assignments(
    *, meeting: Meeting, name: str, data: bytes, by, on: dt.date | None = None, valid_rows_only: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> AssignmentImportResult:
    """Assign every new row's proposal through the workflow's batch 交办, in one transaction.

    Refuses (writing nothing) when any row is bad, unless `valid_rows_only`.
    """
    preview = preview_assignment_import(meeting=meeting, name=name, data=data, on=on)
    bad = preview.bad_rows
    if bad and not valid_rows_only:
        raise WorkflowError(
            "import_has_errors", f"有{len(bad)}行存在错误或冲突,未交办任何提案。请修改后重新上传,或选择“仅导入无误的行”",
            f"{len(bad)} rows have errors or conflicts; nothing was assigned.",
        )
    new_rows = preview.with_outcome(NEW)
    made = 0
    for done, chunk in in_chunks(new_rows):
        plans = [AssignmentPlan(row.proposal, lead=row.lead, joint=tuple(row.joint), assisting=tuple(row.assisting))
                 for row in chunk]
        outcome = assign_proposals(plans=plans, by=by, on=preview.on)
        refuse_import_if_refused(outcome, chunk, "未交办任何提案")
        made += sum(len(assignments) for assignments in outcome.done.values())
        if on_progress:
            on_progress(done, len(new_rows))
    return AssignmentImportResult(assigned=len(new_rows), assignments=made,
                                  unchanged=len(preview.with_outcome(UNCHANGED)), skipped_bad=len(bad))


def _parse_row(number: int, values: dict[str, str], names: AgencyNames) -> AssignmentRow:
    row = AssignmentRow(row=number)
    values, unreadable = without_control_characters(values, ASSIGNMENT_COLUMNS)
    for column, reason in unreadable:
        row.refuse(column, reason)
    try:
        row.number = parse.parse_number(values.get("number", ""))
    except ValueError as error:
        row.refuse("编号", str(error))
    for key, column, _role in ROLE_COLUMNS:
        written = parse.parse_names(values.get(key, ""))
        agencies = []
        for text in written:
            try:
                agencies.append(names.resolve(text))
            except ValueError as error:
                row.refuse(column, str(error))
        if key == "lead":
            if len(written) > 1:
                row.refuse(column, "主办单位只能有一个;多个单位共同答复请填入“分办单位”")
            row.lead = agencies[0] if agencies else None
        else:
            setattr(row, key, agencies)
    if not row.problems and row.lead is None and not row.joint:
        row.refuse("主办单位", "未填写主办单位(或分办单位)")
    counted = Counter(pk for pk, _ in row.planned())
    twice = [names.agencies[pk].name for pk, count in counted.items() if count > 1]
    if twice:
        row.refuse("会办单位", f"同一单位不能重复交办:{'、'.join(twice)}")
    return row


def _attach_proposals(meeting: Meeting, rows: list[AssignmentRow]) -> None:
    numbers = {row.number for row in rows if row.number}
    proposals = {p.number: p for p in Proposal.objects.filter(meeting=meeting, number__in=numbers).select_related("meeting")}
    current: dict[int, set[tuple[int, str]]] = {}
    for proposal_id, agency_id, role in Assignment.objects.filter(
        proposal__in=proposals.values()
    ).current().values_list(
        "proposal_id", "agency_id", "role"
    ):
        current.setdefault(proposal_id, set()).add((agency_id, role))
    seen: dict[str, int] = {}
    for row in rows:
        if not row.number:
            continue
        if row.number in seen:
            row.refuse("编号", f"编号{row.number}与第{seen[row.number]}行重复")
            continue
        seen[row.number] = row.row
        row.proposal = proposals.get(row.number)
        if row.proposal is None:
            row.refuse("编号", f"本次会议没有第{row.number}号")
        elif row.proposal.id in current:
            if current[row.proposal.id] == row.planned():
                row.already_assigned = True
            else:
                row.conflict = True
                row.refuse("编号", f"第{row.number}号已交办给其他单位;调整交办请走“申请调整”,不在导入中覆盖")
        elif row.proposal.status != Proposal.Status.ACCEPTED:
            row.refuse("编号", f"第{row.number}号当前为“{row.proposal.get_status_display()}”,须先立案才能交办")
