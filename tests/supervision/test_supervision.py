"""督办: leading supervisors without accounts, activities with their date, place, people and
agencies on the topic's timeline; only the office records them; supervisors' contacts stay inside."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from supervision import workflow
from supervision.models import Activity, ActivityAttachment, TopicEvent
from tests.supervision.builders import key_proposals, supervisor, topic
from tracker.errors import PermissionRefused, WorkflowError

pytestmark = pytest.mark.django_db


def test_a_consultation_with_a_supervisor_and_agencies_is_on_the_topics_timeline(clerk, meeting, agency):
    topic_, _keys = key_proposals(clerk=clerk, meeting=meeting, lead=agency)
    chen = supervisor()
    workflow.set_supervisors(topic=topic_, leads=[chen], by=clerk)
    held = timezone.localdate() - dt.timedelta(days=2)
    activity = workflow.record_activity(
        topic=topic_, kind="consultation", date=held, place="市政协会议中心", supervisors=[chen], agencies=[agency],
        participants="经济委员会委员、提出人代表", minutes="一、承办单位通报办理进展；二、委员提出意见", by=clerk)
    assert (activity.get_kind_display(), list(activity.supervisors.all()), list(activity.agencies.all())) == (
        "协商会", [chen], [agency])
    assert chen.user is None  # a leader needs no account
    timeline = list(TopicEvent.objects.filter(topic=topic_).values_list("action", "note"))
    assert ("supervisors", "领衔督办：陈志远") in timeline
    assert ("activity", "协商会，市政协会议中心") in timeline


@pytest.mark.parametrize("change, words", [
    ({"kind": "banquet"}, "请选择督办活动形式"),
    ({"date": timezone.localdate() + dt.timedelta(days=3)}, "不能晚于今天"),
    ({"place": " "}, "请填写地点"),
])
def test_a_bad_activity_is_refused_and_nothing_is_written(clerk, meeting, change, words):
    topic_ = topic(clerk=clerk, meeting=meeting)
    values = {"kind": "survey", "date": timezone.localdate(), "place": "南沙区", **change}
    with pytest.raises(WorkflowError) as refused:
        workflow.record_activity(topic=topic_, by=clerk, **values)
    assert words in refused.value.zh
    assert not Activity.objects.exists()


def test_only_the_office_records_supervision(clerk, meeting, agency_staff):
    topic_ = topic(clerk=clerk, meeting=meeting)
    with pytest.raises(PermissionRefused):
        workflow.record_activity(topic=topic_, kind="visit", date=timezone.localdate(), place="市科技局",
                                 by=agency_staff)
    with pytest.raises(PermissionRefused):
        workflow.set_supervisors(topic=topic_, leads=[supervisor()], by=agency_staff)
    with pytest.raises(WorkflowError):
        workflow.set_supervisors(topic=topic_, leads=[], by=clerk)


def test_the_clerk_records_an_activity_with_an_attachment_on_its_admin_page(client, clerk, meeting, agency, tmp_path,
                                                                           settings):
    settings.MEDIA_ROOT = tmp_path
    topic_, _keys = key_proposals(clerk=clerk, meeting=meeting, lead=agency, n=1)
    chen = supervisor()
    client.force_login(clerk)
    form = {"topic": topic_.pk, "kind": "inspection", "date": timezone.localdate().isoformat(), "place": "黄埔区",
            "supervisors": [chen.pk], "agencies": [agency.pk], "participants": "", "minutes": "视察算力中心",
            "attachments-TOTAL_FORMS": 1, "attachments-INITIAL_FORMS": 0, "attachments-MIN_NUM_FORMS": 0,
            "attachments-MAX_NUM_FORMS": 1000, "attachments-0-title": "现场照片"}
    bad = client.post("/admin/supervision/activity/add/", {
        **form, "attachments-0-file": SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")})
    assert bad.status_code == 200 and "附件只能是 PDF、图片、Word 或 Excel 文件" in bad.content.decode()
    assert not Activity.objects.exists()
    good = client.post("/admin/supervision/activity/add/", {
        **form, "attachments-0-file": SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff", "image/jpeg")})
    assert good.status_code == 302
    activity = Activity.objects.get()
    assert activity.recorded_by == clerk and list(activity.supervisors.all()) == [chen]
    assert ActivityAttachment.objects.get().activity == activity
    assert TopicEvent.objects.filter(topic=topic_, action="activity").count() == 1


def test_supervisors_contacts_are_not_shown_to_an_agency(client, clerk, meeting, agency, agency_staff):
    topic_, [key, *_] = key_proposals(clerk=clerk, meeting=meeting, lead=agency)
    workflow.set_supervisors(topic=topic_, leads=[supervisor()], by=clerk)
    client.force_login(agency_staff)
    page = client.get(f"/admin/supervision/keyproposal/{key.pk}/change/").content.decode()
    assert "陈志远（市政协副主席）" in page
    assert "13800138000" not in page and "chen@example.org" not in page and "秘书" not in page
    assert client.get("/admin/supervision/supervisor/").status_code == 403
    assert client.get(f"/admin/supervision/keytopic/{topic_.pk}/change/").status_code == 403
