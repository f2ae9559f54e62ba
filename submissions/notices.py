"""What the front door tells people, through the notifications app (in-app and mail, from its outbox):
an invitation to co-sign, the answer to the author, and the office's review of an online proposal
to its author and co-proposers."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from notifications.models import Kind
from notifications.planning import Recipient
from notifications.work import WorkNotice, tell
from proposals.models import Event, Member, Proposal
from submissions.models import CoSigner, Draft
from tracker.people import person_name

Action = Event.Action
# The office's review steps a proposer hears of, with the verb of the notice's subject.
REVIEW_STEPS = {
    Action.ACCEPT: "已立案",
    Action.NOT_ACCEPT: "不予立案",
    Action.MERGE: "已并案办理",
    Action.REFER: "已转有关方面参考",
}
FOOTER = "（本消息由提案办理追踪系统发送）"


def _member(member: Member) -> list[Recipient]:
    user = member.user
    if user is None or not user.is_active:
        return []
    address = member.email or user.email
    return [Recipient(f"user:{user.pk}", member.name or person_name(user), user_id=user.pk, address=address)]


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _word(draft: Draft) -> str:
    return "附议" if draft.meeting.body == "npc" else "联名"


def tell_invited(cosigner: CoSigner) -> None:
    draft = cosigner.draft
    word = _word(draft)
    subject = f"【{word}邀请】{draft.author.name}邀请您{word}《{draft.title}》"
    body = (f"{cosigner.member.name}：\n{draft.author.name}起草了《{draft.title}》（{draft.meeting.short_name}），"
            f"邀请您{word}。请打开链接阅读全文，确认或谢绝。\n{FOOTER}")
    notice = WorkNotice(Kind.COSIGN_INVITED, cosigner, None, _member(cosigner.member), subject, body,
                        _link(reverse("submissions:draft", args=[draft.pk])))
    tell(notice=notice, key=f"cosign:{cosigner.pk}:{cosigner.order}", stage_text=draft.title[:100])


def tell_answered(cosigner: CoSigner) -> None:
    draft = cosigner.draft
    answer = "确认" if cosigner.state == CoSigner.State.CONFIRMED else "谢绝"
    subject = f"【{_word(draft)}答复】{cosigner.member.name}已{answer}{_word(draft)}《{draft.title}》"
    body = f"{draft.author.name}：\n{cosigner.member.name}已{answer}{_word(draft)}您起草的《{draft.title}》。\n{FOOTER}"
    notice = WorkNotice(Kind.COSIGN_ANSWERED, cosigner, None, _member(draft.author), subject, body,
                        _link(reverse("submissions:draft", args=[draft.pk])))
    tell(notice=notice, key=f"cosign-answer:{cosigner.pk}:{cosigner.state}", stage_text=draft.title[:100])


def tell_returned(draft: Draft) -> None:
    proposal = draft.proposal
    subject = f"【退回修改】《{draft.title}》请修改后重新提交"
    body = f"{draft.author.name}：\n您提交的《{draft.title}》经提案办初审，退回修改。\n意见：{draft.return_note}\n{FOOTER}"
    notice = WorkNotice(Kind.REVIEW_DECIDED, draft, proposal.pk, _member(draft.author), subject, body,
                        _link(reverse("submissions:draft", args=[draft.pk])))
    tell(notice=notice, key=f"returned:{draft.pk}:{draft.versions.count()}", stage_text="退回修改")


def tell_proposers_of_review(event_ids: list[int]) -> None:
    """Step listener: the office's review of an online proposal reaches every proposer, with its reason."""
    events = (Event.objects.filter(pk__in=event_ids, action__in=list(REVIEW_STEPS), proposal__online_draft__isnull=False)
              .select_related("proposal__meeting"))
    for event in events:
        proposal = event.proposal
        members = [row.member for row in proposal.proposers.select_related("member__user").order_by("order")]
        for member in members:
            _tell_review(event, proposal, member)


def _tell_review(event: Event, proposal: Proposal, member: Member) -> None:
    outcome = REVIEW_STEPS[event.action]
    subject = f"【审查结果】《{proposal.title}》{outcome}"
    reason = f"\n说明：{event.note}" if event.note.strip() else ""
    body = (f"{member.name}：\n您提出的{proposal.number_label}《{proposal.title}》经审查{outcome}。{reason}\n{FOOTER}")
    notice = WorkNotice(Kind.REVIEW_DECIDED, proposal, proposal.pk, _member(member), subject, body,
                        _link(reverse("members:proposal-detail", args=[proposal.pk])))
    tell(notice=notice, key=f"review:{event.pk}", stage_text=outcome)
