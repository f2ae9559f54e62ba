"""Exports of the admin lists of proposals, assignments and replies (django-import-export), with
Chinese column headers, of the rows the list shows: its filters, its search, and only what the
user may see (the admins' own get_queryset decides that).

The admins that own these lists show the 导出 button (tracker/admin_exports.py) once an export is
contributed to the `list_exports` hook; ReportsConfig.ready() contributes these, so the lower
floors never name this one.
"""

from __future__ import annotations

from import_export import fields, resources

from proposals.models import Assignment, Proposal
from replies.models import Reply
from tracker import extensions
from tracker.extensions import ListExport


def _column(attribute: str, heading: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=heading, readonly=True)


def _yes_no(value) -> str:
    return "是" if value else "否"


class ProposalResource(resources.ModelResource):
    meeting = _column("meeting__name", "会议")
    number = _column("number", "编号")
    kind = _column("get_kind_display", "类型")
    title = _column("title", "案由")
    category = _column("get_category_display", "类别")
    is_key = _column("is_key", "重点提案/建议")
    lead_proposer = _column("lead_proposer_name", "领衔人")
    lead_agency = _column("lead_agency_name", "主办单位")
    status = _column("get_status_display", "状态")
    next_due_on = _column("next_due_on", "最近期限")
    submitted_on = _column("submitted_on", "提交日期")
    round = _column("round", "办理轮次")
    closed_on = _column("closed_on", "办结日期")

    class Meta:
        model = Proposal
        # lead_proposer, lead_agency and next_due_on are the list's own annotations (its queryset).
        fields = ("meeting", "number", "kind", "title", "category", "is_key", "lead_proposer", "lead_agency",
                  "status", "next_due_on", "submitted_on", "round", "closed_on")
        export_order = fields

    def dehydrate_is_key(self, proposal):
        return _yes_no(proposal.is_key)


class AssignmentResource(resources.ModelResource):
    meeting = _column("proposal__meeting__name", "会议")
    number = _column("proposal__number", "编号")
    title = _column("proposal__title", "案由")
    agency = _column("agency__name", "承办单位")
    role = _column("get_role_display", "承办方式")
    state = _column("get_state_display", "状态")
    assigned_on = _column("assigned_on", "交办日期")
    due_on = _column("due_on", "答复/意见期限")
    due_provisional = _column("due_provisional", "期限暂定")
    extended_to = _column("extended_to", "延期至")
    completed_on = _column("completed_on", "完成日期")

    class Meta:
        model = Assignment
        fields = ("meeting", "number", "title", "agency", "role", "state", "assigned_on", "due_on", "due_provisional",
                  "extended_to", "completed_on")
        export_order = fields

    def dehydrate_due_provisional(self, assignment):
        return _yes_no(assignment.due_provisional)


class ReplyResource(resources.ModelResource):
    meeting = _column("assignment__proposal__meeting__name", "会议")
    number = _column("assignment__proposal__number", "编号")
    proposal_title = _column("assignment__proposal__title", "案由")
    agency = _column("assignment__agency__name", "承办单位")
    round = _column("round", "办理轮次")
    state = _column("get_state_display", "状态")
    document_number = _column("document_number", "文号")
    title = _column("title", "标题")
    category = _column("category", "答复类别")
    signed_on = _column("signed_on", "落款日期")
    sent_at = _column("sent_at", "答复时间")
    disclosure = _column("get_disclosure_display", "公开属性")
    published_on = _column("published_on", "公开日期")

    class Meta:
        model = Reply
        fields = ("meeting", "number", "proposal_title", "agency", "round", "state", "document_number", "title",
                  "category", "signed_on", "sent_at", "disclosure", "published_on")
        export_order = fields


EXPORTS = (
    ListExport(Proposal, ProposalResource, ("meeting",)),
    ListExport(Assignment, AssignmentResource, ("proposal__meeting", "agency")),
    ListExport(Reply, ReplyResource, ("assignment__proposal__meeting", "assignment__agency")),
)


def contribute_list_exports() -> None:
    """Give the admin lists of proposals, assignments and replies their 导出 button."""
    for export in EXPORTS:
        extensions.register("list_exports", export)
