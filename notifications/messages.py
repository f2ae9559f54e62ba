"""The texts of the notifications, in Chinese as offices write them.

Each names the proposal (meeting, number, title), the agency, the date that matters and the days
left or overdue. They are written when the notification is planned and kept on the row, so what
the clerk sees in the admin is what was sent.
"""

from __future__ import annotations

import datetime as dt

from proposals.models import Assignment, Body, Communication, Member, Proposal
from tracker.workdays import provisional_reason

FOOTER = "（本消息由提案办理追踪系统自动发送）"


def day(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def proposal_label(proposal: Proposal) -> str:
    """e.g. 政协第十四届广州市委员会第五次会议第1003号提案《关于完善自动驾驶道路测试管理》"""
    title = proposal.title.strip("《》")
    return f"{proposal.meeting.name}第{proposal.number}号{proposal.get_kind_display()}《{title}》"


def short_label(proposal: Proposal) -> str:
    """e.g. 政协十四届五次会议第1003号提案: numbers start again at every meeting."""
    return f"{proposal.number_label}{proposal.get_kind_display()}"


def member_salutation(member: Member) -> str:
    if member.kind == Member.Kind.GROUP:
        return member.name
    return f"{member.name}{'代表' if member.body == Body.NPC else '委员'}"


def _duty(assignment: Assignment) -> tuple[str, str]:
    """What the agency owes: (deadline name, the act), by role."""
    if assignment.role == Assignment.Role.ASSISTING:
        return "会办意见期限", "提交会办意见"
    return "答复期限", "答复"


def _due_text(assignment: Assignment) -> str:
    provisional = f"（暂定：{provisional_reason(assignment.due_on.year)}）" if assignment.due_provisional else ""
    return f"{day(assignment.due_on)}{provisional}"


def due_soon(*, assignment: Assignment, today: dt.date) -> tuple[str, str]:
    proposal = assignment.proposal
    deadline, act = _duty(assignment)
    left = (assignment.due_on - today).days
    when = "今天到期" if left == 0 else f"还有{left}天"
    subject = f"【办理提醒】{short_label(proposal)}{deadline}{when}"
    body = (
        f"{assignment.agency.name}：\n"
        f"{proposal_label(proposal)}由贵单位{assignment.get_role_display()}，{deadline}为{_due_text(assignment)}，"
        f"距期限{when}。请抓紧办理，按期{act}。\n{FOOTER}"
    )
    return subject, body


def overdue(*, assignment: Assignment, today: dt.date) -> tuple[str, str]:
    proposal = assignment.proposal
    deadline, act = _duty(assignment)
    late = (today - assignment.due_on).days
    subject = f"【逾期提醒】{short_label(proposal)}已逾期{late}天"
    body = (
        f"{assignment.agency.name}：\n"
        f"{proposal_label(proposal)}由贵单位{assignment.get_role_display()}，{deadline}为{_due_text(assignment)}，"
        f"现已逾期{late}天。请尽快{act}；确需延期的，请提出延期申请。\n{FOOTER}"
    )
    return subject, body


def escalation(*, assignment: Assignment, today: dt.date) -> tuple[str, str]:
    proposal = assignment.proposal
    deadline, act = _duty(assignment)
    late = (today - assignment.due_on).days
    subject = f"【催办】{assignment.agency.name}承办的{short_label(proposal)}已逾期{late}天"
    body = (
        f"{proposal_label(proposal)}的{assignment.get_role_display()}单位{assignment.agency.name}，"
        f"{deadline}为{_due_text(assignment)}，已逾期{late}天仍未{act}，请予催办。\n{FOOTER}"
    )
    return subject, body


def accepted(*, proposal: Proposal, member: Member) -> tuple[str, str]:
    subject = f"【立案通知】您提出的{short_label(proposal)}已立案"
    body = f"{member_salutation(member)}：\n您提出的{proposal_label(proposal)}已经审查立案，将交有关单位办理。\n{FOOTER}"
    return subject, body


def assigned(*, proposal: Proposal, member: Member, assignments: list[Assignment]) -> tuple[str, str]:
    by_role: dict[str, list[str]] = {}
    for item in assignments:
        by_role.setdefault(item.get_role_display(), []).append(item.agency.name)
    agencies = "；".join(f"{role}单位：{'、'.join(names)}" for role, names in by_role.items())
    replying = [a for a in assignments if a.role != Assignment.Role.ASSISTING]
    due = f"答复期限为{day(min(a.due_on for a in replying))}。" if replying else ""
    subject = f"【交办通知】您提出的{short_label(proposal)}已交办"
    body = f"{member_salutation(member)}：\n您提出的{proposal_label(proposal)}已立案并交办。{agencies}。{due}\n{FOOTER}"
    return subject, body


def replied(*, proposal: Proposal, member: Member, agency_name: str, sent_on: dt.date, document_number: str) -> tuple[str, str]:
    number = f"（文号：{document_number}）" if document_number else ""
    subject = f"【答复通知】{agency_name}已答复您提出的{short_label(proposal)}"
    body = (
        f"{member_salutation(member)}：\n{agency_name}已于{day(sent_on)}对您提出的{proposal_label(proposal)}"
        f"作出答复{number}，请查阅。\n{FOOTER}"
    )
    return subject, body


def feedback_request(*, proposal: Proposal, member: Member, agency_name: str, closes_on: dt.date) -> tuple[str, str]:
    subject = f"【征询意见】请对{short_label(proposal)}的办理情况进行评价"
    body = (
        f"{member_salutation(member)}：\n{agency_name}已答复您提出的{proposal_label(proposal)}。"
        f"请于{day(closes_on)}前对办理态度和办理结果分别评价（满意、基本满意、不满意）。\n{FOOTER}"
    )
    return subject, body


def feedback_reminder(*, proposal: Proposal, member: Member, agency_name: str, closes_on: dt.date,
                      today: dt.date) -> tuple[str, str]:
    left = (closes_on - today).days
    subject = f"【征询意见】{short_label(proposal)}评价期限还有{left}天"
    body = (
        f"{member_salutation(member)}：\n您尚未对{agency_name}就{proposal_label(proposal)}所作答复进行评价，"
        f"评价期限为{day(closes_on)}，还有{left}天。\n{FOOTER}"
    )
    return subject, body


def _meeting_text(communication: Communication) -> str:
    when = day(communication.date) + (f" {communication.time:%H:%M}" if communication.time else "")
    place = f"，地点：{communication.place}" if communication.place else ""
    agenda = f"，议题：{communication.agenda}" if communication.agenda else ""
    return f"{when}以{communication.get_mode_display()}方式{place}{agenda}"


def meeting_invitation(*, communication: Communication, member: Member) -> tuple[str, str]:
    proposal = communication.proposal
    subject = f"【沟通邀请】{communication.agency.name}邀请您就{short_label(proposal)}沟通（{day(communication.date)}）"
    body = (
        f"{member_salutation(member)}：\n{communication.agency.name}邀请您于{_meeting_text(communication)}，"
        f"就您提出的{proposal_label(proposal)}进行沟通。\n{FOOTER}"
    )
    return subject, body


def meeting_reminder(*, communication: Communication, member: Member, today: dt.date) -> tuple[str, str]:
    proposal = communication.proposal
    left = (communication.date - today).days
    when = {0: "今天", 1: "明天"}.get(left, f"{left}天后")
    subject = f"【沟通提醒】{when}与{communication.agency.name}就{short_label(proposal)}沟通"
    body = (
        f"{member_salutation(member)}：\n提醒您：{communication.agency.name}将于{_meeting_text(communication)}，"
        f"就您提出的{proposal_label(proposal)}与您沟通。\n{FOOTER}"
    )
    return subject, body


# --- work notices: whoever must act next (notifications.work) ----------------------------------


def _deadline_text(assignment: Assignment) -> str:
    deadline, _ = _duty(assignment)
    return f"{deadline}为{_due_text(assignment)}" if assignment.due_on else ""


def new_assignment(*, assignment: Assignment) -> tuple[str, str]:
    proposal = assignment.proposal
    window = assignment.reassignment_window_ends_on
    adjust = f"；如认为不属于本单位职责，请于{day(window)}前申请调整" if window else ""
    subject = f"【新交办】{short_label(proposal)}交由贵单位{assignment.get_role_display()}"
    body = (
        f"{assignment.agency.name}：\n{proposal_label(proposal)}已交由贵单位{assignment.get_role_display()}，"
        f"{_deadline_text(assignment)}。请及时签收{adjust}。\n{FOOTER}"
    )
    return subject, body


def reassignment_requested(*, assignment: Assignment) -> tuple[str, str]:
    proposal = assignment.proposal
    subject = f"【调整申请】{assignment.agency.name}申请调整{short_label(proposal)}的承办单位"
    body = (
        f"{assignment.agency.name}申请调整{proposal_label(proposal)}的{assignment.get_role_display()}单位，"
        f"理由：{assignment.reassignment_reason}。请审核决定；决定前该单位继续办理。\n{FOOTER}"
    )
    return subject, body


def reassignment_decided(*, assignment: Assignment, approved: bool, note: str) -> tuple[str, str]:
    proposal = assignment.proposal
    outcome = "同意调整" if approved else "不同意调整"
    follow = "本件不再由贵单位承办。" if approved else f"请贵单位继续办理，{_deadline_text(assignment)}。"
    subject = f"【调整结果】{short_label(proposal)}：提案办{outcome}"
    body = (
        f"{assignment.agency.name}：\n贵单位关于{proposal_label(proposal)}的调整申请，提案办{outcome}。"
        f"{note.strip()}\n{follow}\n{FOOTER}"
    )
    return subject, body


def extension_requested(*, extension) -> tuple[str, str]:
    assignment = extension.assignment
    proposal = assignment.proposal
    subject = f"【延期申请】{assignment.agency.name}申请将{short_label(proposal)}延期至{day(extension.requested_until)}"
    body = (
        f"{assignment.agency.name}申请将{proposal_label(proposal)}的{_deadline_text(assignment)}"
        f"延至{day(extension.requested_until)}，理由：{extension.reason}。请审批。\n{FOOTER}"
    )
    return subject, body


def extension_decided(*, assignment: Assignment, approved: bool, note: str) -> tuple[str, str]:
    proposal = assignment.proposal
    outcome = "已批准" if approved else "未获批准"
    subject = f"【延期结果】{short_label(proposal)}的延期申请{outcome}"
    body = (
        f"{assignment.agency.name}：\n贵单位关于{proposal_label(proposal)}的延期申请{outcome}。{note.strip()}\n"
        f"现{_deadline_text(assignment)}。\n{FOOTER}"
    )
    return subject, body


def review_requested(*, reply) -> tuple[str, str]:
    proposal = reply.assignment.proposal
    subject = f"【待签发】{short_label(proposal)}的答复函待您审核签发"
    body = (
        f"{reply.assignment.agency.name}负责人：\n{proposal_label(proposal)}的答复函《{reply.title}》已提交，"
        f"请审核签发或退回修改。\n{FOOTER}"
    )
    return subject, body


def draft_returned(*, reply) -> tuple[str, str]:
    proposal = reply.assignment.proposal
    comment = f"退回意见：{reply.review_comment}。" if reply.review_comment else ""
    subject = f"【退回修改】{short_label(proposal)}的答复函已退回"
    body = f"您起草的答复函《{reply.title}》已被负责人退回修改。{comment}请修改后重新提交。\n{FOOTER}"
    return subject, body


def reply_sent(*, assignment: Assignment) -> tuple[str, str]:
    proposal = assignment.proposal
    subject = f"【答复已送达】{short_label(proposal)}的答复函已送达提出人"
    body = (
        f"{assignment.agency.name}：\n贵单位对{proposal_label(proposal)}的答复已送达提出人。"
        f"提出人将对办理情况作出评价，评价结果将另行通知。\n{FOOTER}"
    )
    return subject, body


def rating_received(*, assignment: Assignment) -> tuple[str, str]:
    proposal = assignment.proposal
    subject = f"【收到评价】{short_label(proposal)}的提出人已作出评价"
    body = f"{assignment.agency.name}：\n{proposal_label(proposal)}的提出人已对办理情况作出评价，请查阅。\n{FOOTER}"
    return subject, body


def opinion_received(*, lead: Assignment, assisting: Assignment) -> tuple[str, str]:
    proposal = lead.proposal
    subject = f"【会办意见】{assisting.agency.name}已提交{short_label(proposal)}的会办意见"
    body = (
        f"{lead.agency.name}：\n{assisting.agency.name}已就{proposal_label(proposal)}提交会办意见，"
        f"请在答复中予以吸收并说明。\n{FOOTER}"
    )
    return subject, body


def opinion_overdue(*, assignment: Assignment, today: dt.date) -> tuple[str, str]:
    proposal = assignment.proposal
    late = (today - assignment.due_on).days
    subject = f"【会办意见逾期】{assignment.agency.name}的{short_label(proposal)}会办意见已逾期{late}天"
    body = (
        f"{proposal_label(proposal)}的会办单位{assignment.agency.name}，会办意见期限为{_due_text(assignment)}，"
        f"已逾期{late}天仍未提交，主办单位的答复有待其意见，请予催办。\n{FOOTER}"
    )
    return subject, body


def opinion_reminder(*, assisting: Assignment, lead: Assignment) -> tuple[str, str]:
    proposal = assisting.proposal
    subject = f"【会办意见催办】{lead.agency.name}催请贵单位提交{short_label(proposal)}的会办意见"
    body = (
        f"{assisting.agency.name}：\n主办单位{lead.agency.name}的答复有待贵单位就{proposal_label(proposal)}提交会办意见，"
        f"会办意见期限为{_due_text(assisting)}，请尽快提交；如无补充意见，也请提交会办意见说明。"
        f"主办单位已同时向提案办申请不待会办意见。\n{FOOTER}"
    )
    return subject, body


def opinion_waiver_requested(*, lead: Assignment, requests: list) -> tuple[str, str]:
    proposal = lead.proposal
    names = "、".join(request.assignment.agency.name for request in requests)
    subject = f"【不待会办意见申请】{lead.agency.name}申请不待{short_label(proposal)}的会办意见"
    body = (
        f"主办单位{lead.agency.name}申请不待{names}的会办意见提交{proposal_label(proposal)}的答复，"
        f"理由：{requests[0].reason}。已同时催办会办单位。请在工作台“不待会办意见申请”中同意或不同意。\n{FOOTER}"
    )
    return subject, body


def opinion_waiver_decided(*, lead: Assignment, assisting: Assignment, granted: bool, note: str) -> tuple[str, str]:
    proposal = lead.proposal
    outcome = "同意" if granted else "不同意"
    follow = ("贵单位可不待其会办意见，提交答复函审核。" if granted
              else "请继续等待其会办意见，或与会办单位沟通后再行申请。")
    subject = f"【不待会办意见】{short_label(proposal)}：提案办{outcome}不待{assisting.agency.name}的会办意见"
    body = f"{lead.agency.name}：\n{note.strip()}。{follow}\n{FOOTER}"
    return subject, body
