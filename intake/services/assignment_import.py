"""Import the 交办 list of a 交办会 (编号, 主办单位, 会办/协办单位, 分办单位): preview, then confirm.

Agencies are found by full name or alias among the meeting's region's agencies; an unknown one is
a row error, never created. The proposals are assigned through `proposals.workflow.assign_proposals`
(the rules of `assign_proposal` in bulk: its deadlines, Events and one-lead guard), so a proposal
is assigned whole or not at all. As for
proposals, a list with any bad row writes nothing unless the clerk asks for the valid rows only,
and the whole import is one transaction. A row already assigned exactly so is skipped: importing
the list twice changes nothing. The preview → confirm steps are shared: `intake.services.sheet_import`.
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
from intake.columns import ASSIGNMENT_COLUMNS, ASSIGNMENT_REQUIRED
from intake.services.sheet_import import (
    NEW, UNCHANGED, ImportRow, NothingWritten, SheetLine, SheetPreview, flag_repeated_numbers, read_sheet,
    refuse_bad_rows, write_in_chunks,
)
from proposals.models import Agency, Assignment, Meeting, Proposal
from proposals.workflow import AssignmentPlan, assign_proposals

NOTHING_ASSIGNED = NothingWritten("未交办任何提案", "nothing was assigned.")
ROLE_COLUMNS = (("lead", "主办单位", Assignment.Role.LEAD), ("joint", "分办单位", Assignment.Role.JOINT),
                ("assisting", "会办单位", Assignment.Role.ASSISTING))


@dataclass
class AssignmentRow(ImportRow):
    proposal: Proposal | None = None
    lead: Agency | None = None
    joint: list[Agency] = field(default_factory=list)
    assisting: list[Agency] = field(default_factory=list)
    UNCHANGED_LABEL = "已按此交办,跳过"

    @property
    def title(self) -> str:
        return self.proposal.title if self.proposal else ""

    def planned(self) -> set[tuple[int, str]]:
        pairs = {(self.lead.pk, Assignment.Role.LEAD)} if self.lead else set()
        pairs |= {(a.pk, Assignment.Role.JOINT) for a in self.joint}
        return pairs | {(a.pk, Assignment.Role.ASSISTING) for a in self.assisting}


@dataclass
class AssignmentImportPreview(SheetPreview[AssignmentRow]):
    on: dt.date


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
    sheet = read_sheet(name, data, ASSIGNMENT_COLUMNS, ASSIGNMENT_REQUIRED)
    names = AgencyNames(meeting.region)
    rows = [_parse_row(line, names) for line in sheet.lines]
    _attach_proposals(meeting, rows)
    return AssignmentImportPreview(meeting=meeting, on=on or timezone.localdate(), header_row=sheet.header_row,
                                   columns=sheet.columns, rows=rows)


@transaction.atomic
def import_assignments(
    *, meeting: Meeting, name: str, data: bytes, by, on: dt.date | None = None, valid_rows_only: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> AssignmentImportResult:
    """Assign every new row's proposal through the workflow's batch 交办, in one transaction.

    Refuses (writing nothing) when any row is bad, unless `valid_rows_only`.
    """
    preview = preview_assignment_import(meeting=meeting, name=name, data=data, on=on)
    refuse_bad_rows(preview, valid_rows_only=valid_rows_only, nothing=NOTHING_ASSIGNED)
    new_rows = preview.with_outcome(NEW)

    def assign(chunk: list[AssignmentRow]):
        plans = [AssignmentPlan(row.proposal, lead=row.lead, joint=tuple(row.joint), assisting=tuple(row.assisting))
                 for row in chunk]
        return assign_proposals(plans=plans, by=by, on=preview.on)

    outcomes = write_in_chunks(new_rows, assign, nothing=NOTHING_ASSIGNED, on_progress=on_progress)
    made = sum(len(assignments) for outcome in outcomes for assignments in outcome.done.values())
    return AssignmentImportResult(assigned=len(new_rows), assignments=made,
                                  unchanged=len(preview.with_outcome(UNCHANGED)), skipped_bad=len(preview.bad_rows))


def _parse_row(line: SheetLine, names: AgencyNames) -> AssignmentRow:
    row, values = AssignmentRow.of(line), line.values
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
    for row in flag_repeated_numbers(rows):
        row.proposal = proposals.get(row.number)
        if row.proposal is None:
            row.refuse("编号", f"本次会议没有第{row.number}号")
        elif row.proposal.id in current:
            if current[row.proposal.id] == row.planned():
                row.already_done = True
            else:
                row.conflict = True
                row.refuse("编号", f"第{row.number}号已交办给其他单位;调整交办请走“申请调整”,不在导入中覆盖")
        elif row.proposal.status != Proposal.Status.ACCEPTED:
            row.refuse("编号", f"第{row.number}号当前为“{row.proposal.get_status_display()}”,须先立案才能交办")
