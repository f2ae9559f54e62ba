"""Fixtures for the front door: a CPPCC meeting taking submissions today, its members with logins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from proposals.models import Body
from submissions import services
from submissions.models import Window
from tests.factories import MeetingFactory, MemberFactory, MemberUserFactory

TITLE = "关于加快老旧小区加装电梯的提案"
ANALYSIS = "我市老旧小区多建于上世纪八九十年代，老年居民上下楼困难。"
SUGGESTIONS = "一是简化审批流程；二是设立专项补贴资金。"


def open_window(meeting, *, days: int = 5) -> Window:
    today = timezone.localdate()
    return Window.objects.create(meeting=meeting, opens_on=today - dt.timedelta(days=1),
                                 closes_on=today + dt.timedelta(days=days))


def member_user(meeting, name: str, **kwargs):
    member = MemberFactory(name=name, body=meeting.body, region=meeting.region, **kwargs)
    return MemberUserFactory(member=member)


@pytest.fixture
def session(db):
    meeting = MeetingFactory(name="政协十四届广州市委员会第三次会议", session=3)
    open_window(meeting)
    return meeting


@pytest.fixture
def author(session):
    return member_user(session, "张建山", sector="民盟")


@pytest.fixture
def colleagues(session):
    return [member_user(session, "李红", sector="经济界"), member_user(session, "王强", sector="科技界")]


@pytest.fixture
def written(author, session):
    return services.create_draft(meeting=session, by=author, title=TITLE, analysis=ANALYSIS, suggestions=SUGGESTIONS,
                                 phone="13800001111", address="广州市越秀区某路1号")


@pytest.fixture
def congress(db):
    meeting = MeetingFactory(body=Body.NPC, name="广州市第十六届人民代表大会第三次会议", session=30)
    open_window(meeting)
    return meeting
