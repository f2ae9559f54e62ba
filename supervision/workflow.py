"""Every step of a key proposal's supervision, one verb each: who may, from which state, what is
written, and the topic's timeline entry. The proposal's own record (its 重点 flag and its
timeline) is changed through proposals.workflow, never around it.

Only the office (clerks) nominates on others' behalf, selects, removes and records supervision; the
lead agency reports progress on its own key proposals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from proposals import access
from proposals import workflow as proposal_workflow
from proposals.models import Agency, Proposal
from proposals.transitions import lock_proposal, require_clerk
from supervision import access as key_access
from supervision.models import (
    Activity,
    DecisionBody,
    KeyProposal,
    KeyTopic,
    Nomination,
    ProgressReport,
    ProgressRound,
    ReplyReview,
    Supervisor,
    SupervisionSettings,
    TopicEvent,
    TopicSupervisor,
    UrgentMark,
)
from tracker.errors import PermissionRefused, WorkflowError

# A proposal may be put on the key list from 立案 until it is closed.
SELECTABLE = (
    Proposal.Status.ACCEPTED, Proposal.Status.ASSIGNED, Proposal.Status.IN_PROGRESS, Proposal.Status.REPLIED,
    Proposal.Status.EVALUATED, Proposal.Status.REHANDLING,
)


def _today() -> dt.date:
    return timezone.localdate()


def _entry(action: str, by, *, topic: KeyTopic | None = None, proposal: Proposal | None = None,
           on: dt.date | None = None, note: str = "") -> TopicEvent:
    return TopicEvent.objects.create(topic=topic, proposal=proposal, action=action, on=on, note=note,
                                     actor=by if by and by.is_authenticated else None)


def _required(text: str, code: str, zh: str, en: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise WorkflowError(code, zh, en, field=field)
    return text


def require_selectable(proposal: Proposal) -> None:
    """Withdrawn, merged, not accepted (or not yet reviewed, referred, closed) items are not key."""
    if proposal.status not in SELECTABLE:
        raise WorkflowError(
            "not_selectable",
            f"{proposal.number_label}当前为“{proposal.get_status_display()}”，不能确定为重点提案",
            f"A proposal that is '{proposal.status}' cannot be put on the key list.",
        )


# --- topics and nominations ----------------------------------------------------------------------


@transaction.atomic
def create_topic(*, meeting, title: str, by, summary: str = "", committee: str = "", plan: str = "") -> KeyTopic:
    require_clerk(by)
    title = _required(title, "title_required", "请填写专题名称", "A topic needs a title.", "title")
    if KeyTopic.objects.filter(meeting=meeting, title=title).exists():
        raise WorkflowError("topic_exists", "本次会议已有同名专题", "The meeting already has a topic of that title.",
                            field="title")
    topic = KeyTopic.objects.create(meeting=meeting, title=title, summary=summary, committee=committee, plan=plan)
    _entry(TopicEvent.Action.CREATE, by, topic=topic, note=title)
    return topic


@transaction.atomic
def nominate(*, proposal: Proposal, source: str, nominator: str, reason: str, by) -> Nomination:
    """推荐: the office records who put the proposal forward and why."""
    require_clerk(by)
    if source not in Nomination.Source.values:
        raise WorkflowError("bad_source", "请选择推荐方", "Unknown nominating side.", field="source")
    nominator = _required(nominator, "nominator_required", "请填写推荐单位或个人", "Say who nominates.", "nominator")
    reason = _required(reason, "reason_required", "请填写推荐理由", "A nomination needs a reason.", "reason")
    proposal = lock_proposal(proposal)
    require_selectable(proposal)
    nomination = Nomination.objects.create(proposal=proposal, source=source, nominator=nominator, reason=reason,
                                           recorded_by=by)
    _entry(TopicEvent.Action.NOMINATE, by, proposal=proposal, note=f"{nominator}：{reason}")
    return nomination


@transaction.atomic
def decline_nomination(*, nomination: Nomination, by, note: str = "") -> Nomination:
    require_clerk(by)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.state != Nomination.State.PENDING:
        raise WorkflowError("already_decided", "该推荐已有决定", "This nomination has been decided.")
    nomination.state = Nomination.State.NOT_SELECTED
    nomination.save(update_fields=["state"])
    _entry(TopicEvent.Action.DECLINE, by, proposal=nomination.proposal, note=note)
    return nomination


# --- the committee's decision ---------------------------------------------------------------------


@transaction.atomic
def select_key_proposals(
    *, topic: KeyTopic, proposals: Sequence[Proposal], decision_body: str, decision_meeting: str,
    decided_on: dt.date, by, reason: str = "",
) -> list[KeyProposal]:
    """The 主席会议/主任会议's decision: these proposals are key, in this topic.

    A pending nomination of a proposal is taken as the one decided; a proposal nobody nominated
    gets the office's own nomination with `reason`. All or nothing: one proposal that cannot be
    selected refuses the whole decision, so the list never half-records a meeting.
    """
    require_clerk(by)
    if not proposals:
        raise WorkflowError("no_proposals", "请选择至少一件提案/建议", "Choose at least one proposal.",
                            field="proposals")
    if decision_body not in DecisionBody.values:
        raise WorkflowError("bad_body", "请选择决定会议", "Unknown deciding meeting.", field="decision_body")
    decision_meeting = _required(decision_meeting, "meeting_required", "请填写会议届次（如：十四届第十次主席会议）",
                                 "Name the deciding meeting.", "decision_meeting")
    if decided_on > _today():
        raise WorkflowError("future_date", "决定日期不能晚于今天", "The decision cannot be dated in the future.",
                            field="decided_on")
    selected = []
    for proposal in sorted(proposals, key=lambda p: p.pk):
        selected.append(_select_one(topic, lock_proposal(proposal), decision_body, decision_meeting, decided_on,
                                    by, reason))
    return selected


def _select_one(topic, proposal, decision_body, decision_meeting, decided_on, by, reason) -> KeyProposal:
    require_selectable(proposal)
    if proposal.meeting_id != topic.meeting_id:
        raise WorkflowError("other_meeting", f"{proposal.number_label}不属于本专题的会议",
                            "The proposal belongs to another meeting.", field="proposals")
    if KeyProposal.objects.filter(proposal=proposal, state=KeyProposal.State.SELECTED).exists():
        raise WorkflowError("already_key", f"{proposal.number_label}已是重点提案", "Already on the key list.",
                            field="proposals")
    nomination = (Nomination.objects.select_for_update().filter(proposal=proposal, state=Nomination.State.PENDING)
                  .order_by("recorded_at").first())
    if nomination is None:
        reason = _required(reason, "reason_required", f"{proposal.number_label}尚无推荐，请填写遴选理由",
                           "Give the reason for a proposal nobody nominated.", "reason")
        nomination = Nomination.objects.create(proposal=proposal, source=Nomination.Source.OFFICE,
                                               nominator="提案办", reason=reason, recorded_by=by)
    nomination.state = Nomination.State.SELECTED
    nomination.save(update_fields=["state"])
    key = KeyProposal.objects.create(proposal=proposal, topic=topic, nomination=nomination, decided_on=decided_on,
                                     decision_body=decision_body, decision_meeting=decision_meeting)
    _set_key_flag(proposal, True, by)
    body = DecisionBody(decision_body).label
    _entry(TopicEvent.Action.SELECT, by, topic=topic, proposal=proposal, on=decided_on,
           note=f"{decision_meeting}（{body}）确定{proposal.number_label}为重点提案")
    return key


def _set_key_flag(proposal: Proposal, value: bool, by) -> None:
    """The proposal's own 重点 flag, through its workflow (which records the change on its timeline)."""
    if proposal.is_key != value:
        proposal.is_key = value
        proposal_workflow.save_proposal_details(proposal=proposal, changed=["is_key"], by=by)


@transaction.atomic
def remove_key_proposal(*, key: KeyProposal, reason: str, by, on: dt.date | None = None) -> KeyProposal:
    """移出重点: a recorded step with its reason; the decision itself stays on the record."""
    require_clerk(by)
    reason = _required(reason, "reason_required", "请填写移出理由", "Removal needs a reason.", "reason")
    proposal = lock_proposal(key.proposal)
    key = KeyProposal.objects.select_for_update().get(pk=key.pk)
    if key.state != KeyProposal.State.SELECTED:
        raise WorkflowError("not_key", "该提案已移出重点", "Already removed from the key list.")
    key.state, key.removed_on, key.removal_reason = KeyProposal.State.REMOVED, on or _today(), reason
    key.save(update_fields=["state", "removed_on", "removal_reason"])
    _set_key_flag(proposal, False, by)
    _entry(TopicEvent.Action.REMOVE, by, topic=key.topic, proposal=proposal, on=key.removed_on, note=reason)
    return key


# --- supervision --------------------------------------------------------------------------------


@transaction.atomic
def set_supervisors(*, topic: KeyTopic, leads: Iterable[Supervisor], others: Iterable[Supervisor] = (), by) -> None:
    """领衔督办 and 参与督办 leaders of a topic (replaces the previous list; the timeline keeps it)."""
    require_clerk(by)
    leads, others = list(leads), [s for s in others if s not in leads]
    if not leads:
        raise WorkflowError("lead_required", "请至少确定一位领衔督办领导", "Name at least one leading supervisor.",
                            field="leads")
    TopicSupervisor.objects.filter(topic=topic).delete()
    TopicSupervisor.objects.bulk_create(
        [TopicSupervisor(topic=topic, supervisor=s, is_lead=True) for s in leads]
        + [TopicSupervisor(topic=topic, supervisor=s, is_lead=False) for s in others]
    )
    names = "、".join(s.name for s in leads)
    _entry(TopicEvent.Action.SUPERVISORS, by, topic=topic, note=f"领衔督办：{names}")


@transaction.atomic
def record_activity(
    *, topic: KeyTopic, kind: str, date: dt.date, place: str, by, supervisors: Iterable[Supervisor] = (),
    agencies: Iterable[Agency] = (), participants: str = "", minutes: str = "",
) -> Activity:
    """A supervision activity that took place (not one planned): dated today or earlier."""
    require_clerk(by)
    if kind not in Activity.Kind.values:
        raise WorkflowError("bad_kind", "请选择督办活动形式", "Unknown activity kind.", field="kind")
    if date > _today():
        raise WorkflowError("future_date", "督办活动日期不能晚于今天（记录已开展的活动）",
                            "Record activities that took place.", field="date")
    place = _required(place, "place_required", "请填写地点", "Give the place.", "place")
    activity = Activity.objects.create(topic=topic, kind=kind, date=date, place=place, participants=participants,
                                       minutes=minutes, recorded_by=by)
    activity.supervisors.set(list(supervisors))
    activity.agencies.set(list(agencies))
    _entry(TopicEvent.Action.ACTIVITY, by, topic=topic, on=date,
           note=f"{activity.get_kind_display()}，{place}")
    return activity


# --- progress -----------------------------------------------------------------------------------


@transaction.atomic
def report_progress(*, key: KeyProposal, round: ProgressRound, text: str, by) -> ProgressReport:
    """The lead agency's progress on its key proposal for one round; once per round."""
    agency = access.agency_of(by)
    key = KeyProposal.objects.select_related("proposal__meeting", "topic").get(pk=key.pk)
    if agency is None or key_access.lead_agency_id(key) != agency.pk:
        raise PermissionRefused("not_lead_agency", "只有该重点提案的主办单位可以报送办理进展",
                                "Only the lead agency of this key proposal may report progress.")
    if key.state != KeyProposal.State.SELECTED:
        raise WorkflowError("not_key", "该提案已移出重点，无需报送", "No longer on the key list.")
    if round.topic_id != key.topic_id:
        raise WorkflowError("other_topic", "该报送节点不属于本专题", "The round belongs to another topic.",
                            field="round")
    text = _required(text, "text_required", "请填写办理进展", "Describe the progress.", "text")
    if ProgressReport.objects.filter(key_proposal=key, round=round).exists():
        raise WorkflowError("already_reported", f"“{round.title}”的办理进展已报送", "Already reported for this round.",
                            field="round")
    report = ProgressReport.objects.create(key_proposal=key, round=round, agency=agency, text=text,
                                           reported_on=_today(), reported_by=by)
    _entry(TopicEvent.Action.PROGRESS, by, topic=key.topic, proposal=key.proposal, on=report.reported_on,
           note=f"{agency.name}报送“{round.title}”办理进展")
    return report


@transaction.atomic
def set_progress_round(*, topic: KeyTopic, title: str, due_on: dt.date, by) -> ProgressRound:
    require_clerk(by)
    title = _required(title, "title_required", "请填写报送节点名称", "Name the round.", "title")
    round_, _created = ProgressRound.objects.update_or_create(topic=topic, title=title, defaults={"due_on": due_on})
    return round_


# --- the office's review of a key proposal's reply -------------------------------------------------


def _key_of_reply(reply) -> KeyProposal | None:
    return (KeyProposal.objects.filter(proposal_id=reply.assignment.proposal_id, state=KeyProposal.State.SELECTED)
            .select_related("topic").first())


def _approved(reply) -> bool:
    return ReplyReview.objects.filter(reply=reply, version=reply.version, state=ReplyReview.State.APPROVED).exists()


def review_required(reply) -> bool:
    """Whether this letter waits for the office: a key proposal's, the office requires it, not yet approved."""
    return (SupervisionSettings.current().reply_review_required and _key_of_reply(reply) is not None
            and not _approved(reply))


def require_office_review(reply) -> None:
    """The guard before a reply is sent (送达): a key proposal's letter needs the office's approval
    of this very version when the office requires it."""
    if review_required(reply):
        raise WorkflowError(
            "office_review_required", "重点提案的答复函须经提案办审核同意后方可送达",
            "A key proposal's reply needs the office's approval before it is sent.",
        )


@transaction.atomic
def approve_reply(*, reply, by, note: str = "") -> ReplyReview:
    """提案办审核同意: the signed-off letter of a key proposal may be sent."""
    from replies.models import Reply

    require_clerk(by)
    lock_proposal(reply.assignment.proposal)
    reply = Reply.objects.select_for_update(of=("self",)).select_related("assignment__proposal__meeting").get(
        pk=reply.pk)
    key = _key_of_reply(reply)
    if key is None:
        raise WorkflowError("not_key", "该答复函不属于重点提案，无需审核", "Not a key proposal's reply.")
    if reply.state != Reply.State.SIGNED:
        raise WorkflowError("not_signed", f"答复函当前为“{reply.get_state_display()}”，签发后方可审核",
                            "Only a signed-off reply is reviewed.")
    if _approved(reply):
        raise WorkflowError("already_approved", "该答复函已审核同意", "Already approved.")
    review = ReplyReview.objects.create(reply=reply, version=reply.version, state=ReplyReview.State.APPROVED,
                                        note=note, reviewed_by=by)
    _entry(TopicEvent.Action.REVIEW, by, topic=key.topic, proposal=key.proposal,
           note=f"同意送达{reply.document_number or reply.title}" + (f"：{note}" if note else ""))
    return review


# --- 时效性提案快速通道 ---------------------------------------------------------------------------

URGENT_FROM = (Proposal.Status.SUBMITTED, Proposal.Status.ACCEPTED)


@transaction.atomic
def mark_urgent(*, proposal: Proposal, reason: str, by) -> UrgentMark:
    """At review the office marks a proposal urgent: its reply period becomes the office's short one
    (working days, SupervisionSettings), applied when it is assigned."""
    require_clerk(by)
    reason = _required(reason, "reason_required", "请填写列为时效性提案的理由", "Give the reason.", "reason")
    proposal = lock_proposal(proposal)
    if proposal.status not in URGENT_FROM:
        raise WorkflowError("not_at_review", f"当前状态为“{proposal.get_status_display()}”，只能在审查或交办前列为时效性提案",
                            "Only a proposal at review or awaiting assignment may be marked urgent.")
    if UrgentMark.objects.filter(proposal=proposal).exists():
        raise WorkflowError("already_urgent", "该提案已列为时效性提案", "Already marked urgent.")
    workdays = SupervisionSettings.current().urgent_reply_workdays
    mark = UrgentMark.objects.create(proposal=proposal, reason=reason, reply_workdays=workdays, marked_by=by)
    _entry(TopicEvent.Action.URGENT, by, proposal=proposal, note=f"{reason}（答复期限{workdays}个工作日）")
    return mark


def urgent_answer_limits(proposal_ids: list[int]) -> dict[int, int]:
    """The `answer_limits` contribution: urgent proposals' short periods, one query per batch."""
    return dict(UrgentMark.objects.filter(proposal_id__in=proposal_ids).values_list("proposal_id", "reply_workdays"))
