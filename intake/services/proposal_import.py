"""Import a meeting's proposals from its spreadsheet (docs/domain.md, intake): preview first, then confirm.

The steps every sheet import shares are in `intake.services.sheet_import`; this module supplies the
proposals' columns, rows, checks (repeated numbers, proposers, what is registered) and batch verb.

`preview_proposal_import` reads the file and says, row by row, what would be written and what is
wrong with it; it writes nothing. `import_proposals` computes the same preview afresh inside one
transaction and registers the new rows through `proposals.workflow.register_proposals` (the rules
of `register_proposal`, in bulk), so every proposal gets its REGISTER Event exactly as one typed in
the admin. A file with any bad row writes
nothing unless the clerk asks for the valid rows only; even then the import is one transaction
(all of the valid rows or none), so a failure half-way leaves no partial meeting behind.

Idempotent by meeting + number: a row whose number is already registered with the same title,
body and proposers is skipped; one with other content is a conflict, shown and never overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from intake import fields as parse
from intake.columns import PROPOSAL_COLUMNS, PROPOSAL_REQUIRED
from intake.services.sheet_import import (
    NEW, UNCHANGED, ImportRow, NothingWritten, SheetLine, SheetPreview, flag_repeated_numbers, read_sheet,
    refuse_bad_rows, write_in_chunks,
)
from proposals.models import Meeting, Member, Proposal
from proposals.workflow import NewProposal, register_proposals

NOTHING_IMPORTED = NothingWritten("未导入任何数据", "nothing was imported.")


@dataclass
class PlannedProposer:
    name: str
    member_id: int | None  # None: a new member, created on confirm
    kind: str
    sector: str = ""

    @property
    def is_new(self) -> bool:
        return self.member_id is None


@dataclass
class ProposalRow(ImportRow):
    title: str = ""
    body: str = ""
    sector: str = ""
    category: str = Proposal.Category.OTHER
    submitted_on: dt.date | None = None
    is_key: bool = False
    proposers: list[PlannedProposer] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def category_label(self) -> str:
        return Proposal.Category(self.category).label


@dataclass
class ProposalImportPreview(SheetPreview[ProposalRow]):
    @property
    def new_member_names(self) -> list[str]:
        return sorted({p.name for row in self.with_outcome(NEW) for p in row.proposers if p.is_new})


@dataclass(frozen=True)
class ProposalImportResult:
    created: int
    unchanged: int
    skipped_bad: int
    members_created: int


def preview_proposal_import(*, meeting: Meeting, name: str, data: bytes) -> ProposalImportPreview:
    """What importing the file would do, row by row, with every problem; writes nothing."""
    sheet = read_sheet(name, data, PROPOSAL_COLUMNS, PROPOSAL_REQUIRED)
    rows = [_parse_row(line) for line in sheet.lines]
    flag_repeated_numbers(rows)
    _plan_proposers(meeting, rows)
    _compare_with_registered(meeting, rows)
    return ProposalImportPreview(meeting=meeting, header_row=sheet.header_row, columns=sheet.columns, rows=rows)


@transaction.atomic
def import_proposals(
    *, meeting: Meeting, name: str, data: bytes, by, valid_rows_only: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
) -> ProposalImportResult:
    """Register the file's new proposals through the workflow, in one transaction.

    Refuses (writing nothing) when any row is bad, unless `valid_rows_only`.
    """
    # Serialises imports into the same meeting: the second sees the first's rows as registered.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    preview = preview_proposal_import(meeting=meeting, name=name, data=data)
    refuse_bad_rows(preview, valid_rows_only=valid_rows_only, nothing=NOTHING_IMPORTED)
    new_rows = preview.with_outcome(NEW)
    members = _create_new_members(meeting, new_rows)
    kind = Proposal.Kind.SUGGESTION if meeting.body == "npc" else Proposal.Kind.PROPOSAL

    def register(chunk: list[ProposalRow]):
        return register_proposals(rows=[_new_proposal(meeting, kind, row, members) for row in chunk], by=by)

    write_in_chunks(new_rows, register, nothing=NOTHING_IMPORTED, on_progress=on_progress)
    return ProposalImportResult(
        created=len(new_rows), unchanged=len(preview.with_outcome(UNCHANGED)), skipped_bad=len(preview.bad_rows),
        members_created=sum(1 for key in members if key[1] is None),
    )


def _new_proposal(meeting: Meeting, kind: str, row: ProposalRow, members) -> NewProposal:
    proposal = Proposal(meeting=meeting, number=row.number, title=row.title, body=row.body, kind=kind,
                        category=row.category, is_key=row.is_key, submitted_on=row.submitted_on or meeting.opened_on)
    return NewProposal(proposal, [members[(p.name, p.member_id)] for p in row.proposers])


# --- reading one row --------------------------------------------------------------------------


def _parse_row(line: SheetLine) -> ProposalRow:
    values = line.values
    row = ProposalRow.of(line, body=values.get("body", ""), sector=values.get("sector", ""))
    for column, fieldname, parser in (
        ("编号", "number", parse.parse_number),
        ("案由", "title", parse.parse_title),
        ("提交日期", "submitted_on", parse.parse_date),
        ("重点提案", "is_key", parse.parse_is_key),
    ):
        try:
            setattr(row, fieldname, parser(values.get(fieldname, "")))
        except ValueError as error:
            row.refuse(column, str(error))
    row.category, warning = parse.parse_category(values.get("category", ""))
    if warning:
        row.warnings.append(warning)
    row.proposers = [PlannedProposer(name, None, parse.member_kind(name)) for name in _proposer_names(row, values)]
    return row


def _proposer_names(row: ProposalRow, values: dict[str, str]) -> list[str]:
    # A group (民盟××市委, ××代表团) is one proposer: its name is never split.
    lead_text = values.get("lead", "").strip()
    leads = [lead_text] if parse.is_group_name(lead_text) else parse.parse_names(lead_text)
    if not leads:
        row.refuse("提案人", "提案人为空")
    names = leads + parse.parse_names(values.get("cosigners", ""))
    repeated = [name for name, count in Counter(names).items() if count > 1]
    if repeated:
        row.refuse("联名人", f"提出人重复:{'、'.join(repeated)}")
    too_long = [name for name in names if len(name) > Member._meta.get_field("name").max_length]
    if too_long:
        row.refuse("提案人", f"姓名或名称过长:{too_long[0][:20]}…")
    return list(dict.fromkeys(names))


# --- members ----------------------------------------------------------------------------------


def _plan_proposers(meeting: Meeting, rows: list[ProposalRow]) -> None:
    """Match each name to the one member of that name in the meeting's body and region.

    Two members of one name are told apart by the row's 界别/代表团; if that does not settle it,
    the row is refused rather than guessed. A name nobody has yet becomes a new member.
    """
    names = {p.name for row in rows for p in row.proposers}
    known: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, member_name, sector in Member.objects.filter(
        body=meeting.body, region=meeting.region, name__in=names
    ).values_list("pk", "name", "sector").order_by("pk"):
        known[member_name].append((pk, sector))
    for row in rows:
        for index, planned in enumerate(row.proposers):
            planned.sector = row.sector if index == 0 else ""
            candidates = known.get(planned.name, [])
            if len(candidates) > 1 and row.sector:
                candidates = [c for c in candidates if c[1] == row.sector]
            if len(candidates) == 1:
                planned.member_id = candidates[0][0]
            elif len(candidates) > 1:
                row.refuse("提案人" if index == 0 else "联名人",
                           f"“{planned.name}”在本届有{len(candidates)}位同名{_member_word(meeting)},"
                           f"请在“界别/代表团”列注明以区分")
            elif len(known.get(planned.name, [])) > 1:
                row.refuse("界别/代表团", f"“{planned.name}”的同名{_member_word(meeting)}中没有界别为“{row.sector}”的")


def _member_word(meeting: Meeting) -> str:
    return "代表" if meeting.body == "npc" else "委员"


def _create_new_members(meeting: Meeting, rows: list[ProposalRow]) -> dict[tuple[str, int | None], Member]:
    """Every member the rows name, keyed by (name, id or None); new ones created once each."""
    existing_ids = {p.member_id for row in rows for p in row.proposers if not p.is_new}
    members = {(m.name, m.pk): m for m in Member.objects.filter(pk__in=existing_ids)}
    new: dict[str, Member] = {}
    for row in rows:
        for planned in row.proposers:
            if planned.is_new and planned.name not in new:
                new[planned.name] = Member(name=planned.name, kind=planned.kind, body=meeting.body,
                                           region=meeting.region, sector=planned.sector)
    Member.objects.bulk_create(new.values())
    members.update({(name, None): member for name, member in new.items()})
    return members


# --- what is registered already ---------------------------------------------------------------


def _compare_with_registered(meeting: Meeting, rows: list[ProposalRow]) -> None:
    numbers = {row.number for row in rows if row.number}
    registered = {
        p.number: p for p in Proposal.objects.filter(meeting=meeting, number__in=numbers)
        .prefetch_related("proposers__member").only("number", "title", "body", "meeting_id")
    }
    for row in rows:
        existing = registered.get(row.number)
        if existing is None:
            continue
        names = [proposer.member.name for proposer in existing.proposers.all()]
        if (existing.title, existing.body.strip(), names) == (row.title, row.body.strip(), [p.name for p in row.proposers]):
            row.already_done = True
        else:
            row.conflict = True
            differing = "、".join(
                label for label, same in (("案由", existing.title == row.title),
                                          ("内容", existing.body.strip() == row.body.strip()),
                                          ("提出人", names == [p.name for p in row.proposers]))
                if not same
            )
            row.refuse("编号", f"本次会议已登记第{row.number}号,{differing}与本行不同;不覆盖已登记的内容")
