"""Key proposals as the office builds them: a topic, proposals assigned to a lead agency, the
committee's decision, a leading supervisor and a progress round."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from supervision import workflow
from supervision.models import ProgressRound, Supervisor
from tests.factories import assigned_proposal

DECIDED_ON = dt.date(2026, 3, 20)


def topic(*, clerk, meeting, title="推动人工智能产业高质量发展"):
    return workflow.create_topic(meeting=meeting, title=title, committee="经济委员会", plan="分三个阶段督办", by=clerk)


def key_proposals(*, clerk, meeting, lead, n=3, topic_=None, subject="人工智能", **kwargs):
    """`n` proposals assigned to `lead`, selected into `topic_` (a new one unless given)."""
    topic_ = topic_ or topic(clerk=clerk, meeting=meeting)
    proposals = [assigned_proposal(by=clerk, meeting=meeting, lead=lead, title=f"关于{subject}第{i}项工作的提案")
                 for i in range(n)]
    keys = workflow.select_key_proposals(topic=topic_, proposals=proposals, decision_body="chairs",
                                         decision_meeting="十四届第十次主席会议", decided_on=DECIDED_ON,
                                         reason="事关全市发展大局", by=clerk, **kwargs)
    return topic_, keys


def supervisor(name="陈志远", post="市政协副主席", phone="13800138000"):
    return Supervisor.objects.create(name=name, post=post, phone=phone, email="chen@example.org", note="秘书：刘某")


def progress_round(topic_, *, days_from_today: int, title="第一季度"):
    return ProgressRound.objects.create(topic=topic_, title=title,
                                        due_on=timezone.localdate() + dt.timedelta(days=days_from_today))
