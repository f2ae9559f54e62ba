"""Loading the seed letters as historical records (docs/domain.md, published documents)."""

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from letters.models import ImportedDocument, PolicyArticle, PolicyDocument
from letters.agencies import resolve_agency
from letters.services import load_document
from proposals.models import Agency, AgencyAlias, Assignment, Communication, Event, Meeting, Member, Proposal
from replies.models import Reply

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR) / "seeds"
GUANGZHOU_CPPCC_REPLY = SEEDS / "000_72f5d033cd99f952.txt"
POLICY_DRAFT = SEEDS / "003_2c8e55cf1516c5cb.txt"
MODELS = (Meeting, Member, Agency, AgencyAlias, Proposal, Assignment, Communication, Reply, Event, PolicyDocument,
          PolicyArticle, ImportedDocument)


def row_counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def load(*paths, dry_run=False):
    out, err = io.StringIO(), io.StringIO()
    call_command("load_seed_letters", *map(str, paths), dry_run=dry_run, stdout=out, stderr=err)
    return out.getvalue()


def test_seeds_load_as_closed_historical_records():
    load()

    assert Proposal.objects.count() == 4
    assert set(Proposal.objects.values_list("status", "is_historical")) == {(Proposal.Status.CLOSED, True)}
    assert Reply.objects.filter(is_historical=True, state=Reply.State.SENT).count() == 4
    assert not Assignment.objects.filter(state__in=Assignment.OPEN_STATES).exists()
    assert PolicyDocument.objects.count() == 1
    assert ImportedDocument.objects.count() == 5


def test_guangzhou_reply_becomes_the_records_it_implies():
    load(GUANGZHOU_CPPCC_REPLY)

    proposal = Proposal.objects.get(number="2053")
    assert proposal.meeting.name == "政协十四届广州市委员会第一次会议"
    assert (proposal.meeting.body, proposal.meeting.term, proposal.meeting.session) == ("cppcc", 14, 1)
    assert proposal.title == "关于促进广州市人工智能产业健康发展的提案"
    assert [p.member.name for p in proposal.proposers.all()] == ["张建山"]
    lead = proposal.assignments.get(role=Assignment.Role.LEAD)
    assert lead.agency.name == "广州市科学技术局"
    assisting = set(proposal.assignments.filter(role=Assignment.Role.ASSISTING).values_list("agency__name", flat=True))
    assert {"广州市发展和改革委员会", "广州市工业和信息化局"} <= assisting
    communication = proposal.communications.get()
    assert (str(communication.date), communication.state) == ("2022-04-14", Communication.State.HELD)
    reply = Reply.objects.get(assignment=lead)
    assert reply.published_on.isoformat() == "2022-05-31"
    assert "人工智能" in reply.body


def test_agency_written_short_in_one_letter_and_full_in_another_is_one_agency():
    # 000 names 工业和信息化局 as an assisting agency; 001 is signed by 广州市工业和信息化局.
    load()

    industry = Agency.objects.filter(region="广州市", name__contains="工业和信息化")
    assert list(industry.values_list("name", flat=True)) == ["广州市工业和信息化局"]
    assert AgencyAlias.objects.filter(agency=industry.get(), alias="工业和信息化局").exists()
    assert Agency.objects.filter(region="广州市", name__contains="发展和改革").count() == 1


def test_short_name_of_a_loaded_agency_resolves_to_it():
    load(GUANGZHOU_CPPCC_REPLY)

    agency, created = resolve_agency("市科技局", "广州市")

    assert (agency.name, created) == ("广州市科学技术局", False)
    assert AgencyAlias.objects.filter(agency=agency, alias="市科技局").exists()


def test_policy_draft_keeps_its_chapters_and_articles():
    load(POLICY_DRAFT)

    document = PolicyDocument.objects.get()
    assert document.title == "成都市促进人工智能产业发展办法(征求意见稿)"
    assert document.is_draft
    assert PolicyArticle.objects.count() == 51
    assert PolicyArticle.objects.values("chapter_number").distinct().count() == 8
    assert "產" not in document.text and "(chǎn)" not in document.text
    assert "產(chǎn)" in document.original_text


def test_loading_twice_changes_nothing():
    load()
    before = row_counts()

    output = load()

    assert row_counts() == before
    assert "exists 5" in output


def test_dry_run_writes_nothing():
    before = row_counts()

    output = load(dry_run=True)

    assert row_counts() == before
    assert "would create 5" in output


@pytest.mark.parametrize("content", [b"\x00\x01\x02\xff\xfe" * 400, "广州市科学技术局关于".encode()],
                         ids=["binary", "truncated"])
def test_unreadable_file_fails_alone_and_writes_nothing(tmp_path, content):
    broken = tmp_path / "broken.txt"
    broken.write_bytes(content)
    shutil.copy(GUANGZHOU_CPPCC_REPLY, tmp_path / "good.txt")

    with pytest.raises(CommandError, match="1 file"):
        load(tmp_path)

    assert Proposal.objects.filter(number="2053").exists()
    assert not ImportedDocument.objects.filter(file_name="broken.txt").exists()
    outcome = load_document(broken)
    assert outcome.status == "failed" and outcome.message


def test_failure_midway_leaves_nothing_of_that_file(monkeypatch):
    import letters.services as services

    def explode(*args, **kwargs):
        raise services.ImportRefused("boom")

    monkeypatch.setattr(services, "_reply", explode)

    outcome = load_document(GUANGZHOU_CPPCC_REPLY)

    assert outcome.status == "failed"
    assert not Proposal.objects.exists() and not Meeting.objects.filter(term=14).exists()
    assert not Agency.objects.exists()


def test_reply_body_holds_the_letter_without_salutation_signature_or_contact():
    load(SEEDS / "002_94f0c5d2f823cf48.txt")

    reply = Reply.objects.get()
    assert reply.addressee == "薛晖委员"
    assert reply.body.startswith("您在市政协十二届一次会议上提出的")
    assert reply.body.rstrip().endswith("感谢您对科技工作的关心与支持!")
    assert "联系人" not in reply.body and "2022年7月14日" not in reply.body
    assert (reply.contact_person, reply.contact_phone) == ("许蒙刚", "85255611")


@pytest.mark.parametrize("admin_url, term, expected", [
    ("admin:proposals_proposal_changelist", "人工智能", 4),
    ("admin:proposals_proposal_changelist", "张建山", 1),
    ("admin:replies_reply_changelist", "自动驾驶", 2),  # 000 and 001 both write of it
    ("admin:replies_reply_changelist", "薛晖", 1),
    ("admin:replies_reply_changelist", "穗工信函〔2020〕155号", 1),
    ("admin:letters_policydocument_changelist", "人工智能", 1),
])
def test_clerks_find_loaded_letters_by_chinese_keywords(client, clerk, admin_url, term, expected):
    load()
    client.force_login(clerk)

    response = client.get(reverse(admin_url), {"q": term})

    assert response.status_code == 200
    assert response.context["cl"].result_count == expected
