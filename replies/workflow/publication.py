"""After sending: 主动公开 and 撤销公开, and a kept promise leaving the follow-up list.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from proposals import access, transitions
from proposals.transitions import today
from replies import disclosure
from replies.models import (
    Reply,
    ReplyCategory,
)
from replies.workflow._base import _lock_reply, _record, _require_reply_step
from tracker.errors import WorkflowError


def _require_publisher(user, reply: Reply) -> None:
    # The agency that signed the letter discloses it (承办单位 is the disclosing body for its
    # replies, 国办发〔2014〕46号); the office follows the publication but does not publish for it.
    transitions.require_agency_staff(user, reply.signing_agency)


def _require_withdrawer(user, reply: Reply) -> None:
    # Taking a letter down is the agency's, and the office's too: the public pages are the office's,
    # and it must be able to remove what should not be there (personal details, a wrong letter).
    if not access.is_clerk(user):
        transitions.require_agency_staff(user, reply.signing_agency)


@transaction.atomic
def publish_reply(*, reply: Reply, by, on: dt.date | None = None, index_number: str = "") -> Reply:
    """主动公开: a sent, public reply is published (with its index number, 索引号).

    Published replies never show people's contact details (国办发〔2014〕46号): a letter whose
    title, addressee or body carries a mobile number, an ID number or an e-mail address other than
    the agency's own contact line, or a proposer's phone or mail, is refused until that is taken out.
    """
    reply = _lock_reply(reply)
    _require_publisher(by, reply)
    _require_reply_step(reply, "publish")
    if reply.disclosure != Reply.Disclosure.PUBLIC:
        raise WorkflowError("not_public", f"该答复函的公开属性为“{reply.get_disclosure_display()}”，不能主动公开",
                            "Only a reply marked public may be published.")
    if reply.published_on:
        raise WorkflowError("already_published", "该答复函已公开", "This reply is already published.")
    found = disclosure.personal_details_in(reply)
    if found:
        listed = "、".join(str(finding) for finding in found)
        raise WorkflowError(
            "contact_details_in_text", f"答复函中含有个人联系方式或身份证号（{listed}），公开前须删除",
            f"The letter shows personal contact details or ID numbers ({len(found)}); remove them before publishing.",
        )
    reply.published_on = on or today()
    reply.index_number = index_number.strip() or reply.index_number
    reply.version += 1
    reply.save(update_fields=["published_on", "index_number", "version"])
    index = f"，索引号{reply.index_number}" if reply.index_number else ""
    _record(reply, by, note=f"答复函《{reply.title}》主动公开（{reply.published_on:%Y-%m-%d}{index}）")
    return reply


@transaction.atomic
def withdraw_reply_publication(*, reply: Reply, by, reason: str) -> Reply:
    """撤销公开: take a published reply off the public pages, with a reason."""
    if not reason.strip():
        raise WorkflowError("reason_required", "请填写撤销公开的理由", "A reason is required.", field="reason")
    reply = _lock_reply(reply)
    _require_withdrawer(by, reply)
    if not reply.published_on:
        raise WorkflowError("not_published", "该答复函尚未公开", "This reply is not published.")
    reply.published_on = None
    reply.version += 1
    reply.save(update_fields=["published_on", "version"])
    _record(reply, by, note=f"答复函《{reply.title}》撤销公开：{reason.strip()}")
    return reply


@transaction.atomic
def record_follow_up_done(*, reply: Reply, by, on: dt.date | None = None, note: str = "") -> Reply:
    """A B-class promise (正在解决或已列入计划) is kept: the reply leaves the follow-up list."""
    reply = _lock_reply(reply)
    transitions.require_agency_staff(by, reply.signing_agency)
    _require_reply_step(reply, "follow_up_done")
    if not ReplyCategory.objects.filter(code=reply.category, needs_follow_up=True).exists():
        raise WorkflowError("no_follow_up", "该答复类别无需跟踪办理", "This reply category needs no follow-up.")
    if reply.follow_up_done_on:
        raise WorkflowError("follow_up_done", "跟踪办理已完成", "The follow-up is already done.")
    reply.follow_up_done_on = on or today()
    reply.version += 1
    reply.save(update_fields=["follow_up_done_on", "version"])
    _record(reply, by, note=f"答复函《{reply.title}》承诺事项已办结（{reply.follow_up_done_on:%Y-%m-%d}）。{note}".rstrip("。"))
    return reply
