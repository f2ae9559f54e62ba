"""Each role's to-do list as sections of rows for the start page: a title, how many, the first rows
(each linking to its page) and a link to the whole list. The reads are workbench.selectors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from proposals import access
from proposals.admin import deadline_html
from proposals.models import Assignment, Proposal
from replies.models import Reply
from tracker import extensions
from tracker.people import person_name
from workbench import selectors

ROWS_SHOWN = 10


@dataclass
class Row:
    url: str
    cells: list


@dataclass
class Section:
    key: str
    title: str
    columns: list[str]
    count: int = 0
    rows: list[Row] = field(default_factory=list)
    more_url: str = ""
    empty: str = "暂无"


def _first_rows(queryset) -> tuple[list, int]:
    """The first rows and the total, always two queries: the page costs the same for a new office
    as for one with years of work."""
    return list(queryset[:ROWS_SHOWN]), queryset.count()


def _section(key, title, columns, queryset, to_row, *, more_url="", empty="暂无") -> Section:
    items, count = _first_rows(queryset)
    return Section(key, title, columns, count, [to_row(item) for item in items], more_url, empty)


def _change(model_name: str, pk: int, app: str = "proposals") -> str:
    return reverse(f"admin:{app}_{model_name}_change", args=[pk])


def _list(model_name: str, query: str, app: str = "proposals") -> str:
    return reverse(f"admin:{app}_{model_name}_changelist") + f"?{query}"


def _due(assignment: Assignment, today: dt.date):
    return deadline_html(assignment.due_on, assignment.due_provisional, today, iso=True)


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


def _number(proposal: Proposal) -> str:
    return proposal.number_label


# --- the clerk's --------------------------------------------------------------------------------


def _proposal_row(proposal: Proposal) -> Row:
    return Row(_change("proposal", proposal.pk),
               [_number(proposal), proposal.title, proposal.lead_proposer_name or "—", _day(proposal.submitted_on)])


def _late_by_agency(user, today) -> Section:
    agencies = list(selectors.late_by_agency(user, today))
    rows = []
    for row in agencies[:ROWS_SHOWN]:
        which = "overdue" if row["overdue"] else "week"
        url = _list("assignment", f"agency__id__exact={row['agency_id']}&deadline={which}")
        overdue = format_html('<b class="late">{}</b>', row["overdue"]) if row["overdue"] else "0"
        rows.append(Row(url, [row["agency__name"], overdue, row["soon"]]))
    return Section(
        "late_by_agency", "逾期及7日内到期（主办、分办，按单位）", ["承办单位", "已逾期", "7日内到期"],
        sum(row["overdue"] for row in agencies), rows, _list("assignment", "deadline=overdue"),
        empty="没有逾期或7日内到期的答复",
    )


def _waiver_request_row(request) -> Row:
    """The lead agency's request, with the two decisions: each opens its step on the assisting work."""
    assisting = request.assignment

    def step(name):
        return reverse("admin:proposals_assignment_step", args=[assisting.pk, name])

    decide = format_html('<a class="button" href="{}">同意</a> <a class="button" href="{}">不同意</a>',
                         step("waive_opinion"), step("refuse_opinion_waiver"))
    return Row(_change("assignment", assisting.pk),
               [_number(assisting.proposal), request.lead.agency.name, assisting.agency.name, request.reason, decide])


def clerk_sections(user, today: dt.date) -> list[Section]:
    proposal_columns = ["编号", "案由", "领衔人", "提交日期"]
    return [
        _section("to_review", "待审查", proposal_columns, selectors.proposals_in(user, Proposal.Status.SUBMITTED),
                 _proposal_row, more_url=_list("proposal", "status__exact=submitted")),
        _section("to_assign", "待交办", proposal_columns, selectors.proposals_in(user, Proposal.Status.ACCEPTED),
                 _proposal_row, more_url=_list("proposal", "status__exact=accepted")),
        _section(
            "reassignment_requests", "申请调整待批", ["编号", "案由", "承办单位", "理由"],
            selectors.reassignment_requests(user),
            lambda a: Row(_change("assignment", a.pk),
                          [_number(a.proposal), a.proposal.title, a.agency.name, a.reassignment_reason]),
            more_url=_list("assignment", "state__exact=reassignment_requested"),
        ),
        _section(
            "extension_requests", "延期待批", ["编号", "案由", "承办单位", "申请延期至", "理由"],
            selectors.extension_requests(user),
            lambda e: Row(_change("extension", e.pk),
                          [_number(e.assignment.proposal), e.assignment.proposal.title, e.assignment.agency.name,
                           _day(e.requested_until), e.reason]),
            more_url=_list("extension", "state__exact=requested"),
        ),
        _section(
            "opinion_waiver_requests", "不待会办意见申请", ["编号", "主办单位", "会办单位", "理由", "决定"],
            selectors.opinion_waiver_requests(user), _waiver_request_row,
            empty="没有待决定的不待会办意见申请",
        ),
        _late_by_agency(user, today),
        _section(
            "overdue_opinions", "会办意见逾期", ["编号", "案由", "会办单位", "意见期限"],
            selectors.overdue_opinions(user, today),
            lambda a: Row(_change("assignment", a.pk),
                          [_number(a.proposal), a.proposal.title, a.agency.name, _due(a, today)]),
            more_url=_list("assignment", "role__exact=assisting&deadline=overdue"),
        ),
        _section(
            "follow_ups", "B类答复跟踪办理", ["编号", "答复函", "承办单位", "答复日期"], selectors.follow_ups(user),
            lambda r: Row(_change("reply", r.pk, "replies"),
                          [_number(r.assignment.proposal), r.title, r.assignment.agency.name,
                           _day(r.sent_at and timezone.localtime(r.sent_at).date())]),
            more_url=_list("reply", "state__exact=sent&category__exact=B", "replies"),
        ),
    ]


# --- the agency's -------------------------------------------------------------------------------


def _contacts(proposers):
    """The proposers with their phone and e-mail, for arranging 办前沟通."""
    return format_html_join(
        "", '<div class="contact">{}{}{}</div>',
        ((p.member.name, format_html(" {}", p.member.phone) if p.member.phone else "",
          format_html('<br><a href="mailto:{0}">{0}</a>', p.member.email) if p.member.email else "")
         for p in proposers),
    )


def _to_communicate(user, today) -> Section:
    queryset = selectors.to_communicate(user)
    items, count = _first_rows(queryset)
    proposers = selectors.proposers_of(queryset[:ROWS_SHOWN])
    rows = [Row(_change("assignment", a.pk), [_number(a.proposal), a.proposal.title,
                                              _contacts(proposers.get(a.proposal_id, [])),
                                              _communication_due(a, today)])
            for a in items]
    return Section("to_communicate", "待沟通（办前沟通）", ["编号", "案由", "提出人及联系方式", "沟通"], count, rows)


def _communication_due(assignment: Assignment, today: dt.date):
    if assignment.planned_on:
        return format_html("已安排 {}", _day(assignment.planned_on))
    if assignment.communication_due_on:
        return deadline_html(assignment.communication_due_on, False, today, iso=True)
    return "—"


def _opinion_url(assignment: Assignment) -> str:
    if assignment.opinion_id:
        return _change("assistingopinion", assignment.opinion_id, "replies")
    return reverse("admin:replies_assistingopinion_add") + f"?assignment={assignment.pk}"


def _reply_row(reply: Reply, today: dt.date, *extra) -> Row:
    assignment = reply.assignment
    due = _due(assignment, today) if assignment.is_open else (assignment.due_on or "—")
    return Row(_change("reply", reply.pk, "replies"), [_number(assignment.proposal), reply.title, *extra, due])


def _due_soon(user, today) -> Section:
    return _section(
        "due_soon", "即将到期（7日内及已逾期）", ["编号", "案由", "承办方式", "状态", "期限"],
        selectors.due_soon(user, today),
        lambda a: Row(_change("assignment", a.pk), [_number(a.proposal), a.proposal.title, a.get_role_display(),
                                                   a.get_state_display(), _due(a, today)]),
        more_url=_list("assignment", "deadline=week"), empty="7日内没有到期的事项",
    )


def agency_sections(user, today: dt.date) -> list[Section]:
    return [
        _section(
            "to_sign_for", "待签收", ["编号", "案由", "承办方式", "交办日期", "期限"], selectors.to_sign_for(user),
            lambda a: Row(_change("assignment", a.pk), [_number(a.proposal), a.proposal.title, a.get_role_display(),
                                                       _day(a.assigned_on), _due(a, today)]),
            more_url=_list("assignment", "state__exact=pending"),
        ),
        _to_communicate(user, today),
        _section(
            "to_draft", "待起草答复", ["编号", "案由", "期限"], selectors.to_draft(user),
            lambda a: Row(reverse("admin:replies_reply_add") + f"?assignment={a.pk}",
                          [_number(a.proposal), a.proposal.title, _due(a, today)]),
        ),
        _section(
            "drafts", "草稿与退回修改", ["编号", "答复函", "状态", "期限"], selectors.drafts(user),
            lambda r: _reply_row(r, today, r.get_state_display()),
            more_url=_list("reply", "state__exact=returned", "replies"),
        ),
        _section(
            "to_send", "已签发待送达", ["编号", "答复函", "文号", "期限"], selectors.to_send(user),
            lambda r: _reply_row(r, today, r.document_number or "—"),
            more_url=_list("reply", "state__exact=signed", "replies"),
        ),
        _section(
            "opinions_to_send", "会办意见待提交", ["编号", "案由", "意见期限"], selectors.opinions_to_send(user),
            lambda a: Row(_opinion_url(a), [_number(a.proposal), a.proposal.title, _due(a, today)]),
        ),
        _due_soon(user, today),
    ]


def reviewer_sections(user, today: dt.date) -> list[Section]:
    return [
        _section(
            "to_sign_off", "待签发", ["编号", "答复函", "起草人", "期限"], selectors.to_sign_off(user),
            lambda r: _reply_row(r, today, person_name(r.drafted_by)),
            more_url=_list("reply", "state__exact=in_review", "replies"),
        ),
        _due_soon(user, today),
    ]


def contributed_sections(user, today: dt.date) -> list[Section]:
    """The lists apps above add to the 工作台 (the `workbench_sections` hook), after the own ones."""
    return [section for contribute in extensions.contributions("workbench_sections")
            for section in contribute(user, today)]


@dataclass
class Workbench:
    role: str
    sections: list[Section]


def workbench_for(user, today: dt.date) -> Workbench | None:
    """The start page's lists for `user`'s role(s); None for a user with no office role."""
    if access.is_clerk(user):
        return Workbench("提案办", clerk_sections(user, today) + contributed_sections(user, today))
    sections, roles = [], []
    if access.is_agency_reviewer(user):
        roles.append("负责人")
        sections += reviewer_sections(user, today)
    if access.is_agency_staff(user):
        roles.append("经办人")
        shown = {section.key for section in sections}
        sections += [section for section in agency_sections(user, today) if section.key not in shown]
    if not sections:
        return None
    sections += contributed_sections(user, today)
    return Workbench(f"{access.agency_of(user).name} · {'、'.join(roles)}", sections)
