"""Reading the figures' filters from a page, the API or the command line: bad input is refused
with a clear Chinese message, never a 500."""

from __future__ import annotations

import datetime as dt

from proposals.models import Agency, Meeting, Proposal
from reports.figures import today
from reports.selectors import Scope
from tracker.errors import WorkflowError


def _integer(value, name: str, label: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise WorkflowError("bad_filter", f"{label}须为数字", f"{name} must be a number.", field=name) from None
    if not 0 < number < 2**31:
        raise WorkflowError("bad_filter", f"{label}超出范围", f"{name} is out of range.", field=name)
    return number


def _choice(value, name: str, label: str, choices) -> str | None:
    if value in (None, ""):
        return None
    if value not in dict(choices):
        raise WorkflowError("bad_filter", f"{label}“{value}”无效", f"Unknown {name}.", field=name)
    return value


def scope_from_options(options: dict, *, agency_id: int | None = None) -> Scope:
    """A Scope from filter values (strings or numbers); `agency_id` forces an agency user's own."""
    meeting_id = _integer(options.get("meeting"), "meeting", "会议")
    if meeting_id is not None and not Meeting.objects.filter(pk=meeting_id).exists():
        raise WorkflowError("unknown_meeting", f"没有编号为{meeting_id}的会议", "No such meeting.", field="meeting")
    chosen_agency = _integer(options.get("agency"), "agency", "承办单位")
    if chosen_agency is not None and not Agency.objects.filter(pk=chosen_agency).exists():
        raise WorkflowError("unknown_agency", f"没有编号为{chosen_agency}的承办单位", "No such agency.", field="agency")
    as_of = options.get("as_of") or None
    if isinstance(as_of, str):
        try:
            as_of = dt.date.fromisoformat(as_of.strip())
        except ValueError:
            raise WorkflowError("bad_filter", "统计日须为 YYYY-MM-DD", "as_of must be YYYY-MM-DD.", field="as_of") from None
    return Scope(
        as_of=as_of or today(),
        meeting_id=meeting_id,
        year=_integer(options.get("year"), "year", "年度"),
        term=_integer(options.get("term"), "term", "届次"),
        kind=_choice(options.get("kind"), "kind", "类型", Proposal.Kind.choices),
        category=_choice(options.get("category"), "category", "类别", Proposal.Category.choices),
        agency_id=agency_id if agency_id is not None else chosen_agency,
    )


def describe(scope: Scope) -> str:
    """The filters in words, for the page, the exports and the report."""
    parts = []
    if scope.meeting_id:
        parts.append(Meeting.objects.filter(pk=scope.meeting_id).values_list("name", flat=True).first() or "")
    if scope.year:
        parts.append(f"{scope.year}年度")
    if scope.term:
        parts.append(f"第{scope.term}届")
    if scope.kind:
        parts.append(str(dict(Proposal.Kind.choices)[scope.kind]))
    if scope.category:
        parts.append(f"{dict(Proposal.Category.choices)[scope.category]}类")
    if scope.agency_id:
        parts.append(Agency.objects.filter(pk=scope.agency_id).values_list("name", flat=True).first() or "")
    return "、".join(parts) or "全部"
