"""Importing a meeting's proposals from its spreadsheet: preview, then confirm (intake.services)."""

from __future__ import annotations

import datetime as dt

import pytest

from intake.services.proposal_import import import_proposals, preview_proposal_import
from proposals.models import Event, Member, Proposal
from tests.factories import MemberFactory, registered_proposal
from tests.intake.sheets import HEADER, csv_bytes, proposal_row, xlsx
from tracker.errors import WorkflowError

pytestmark = pytest.mark.django_db


def problems_of(preview) -> dict[int, list[tuple[str, str]]]:
    return {row.row: [(p.column, p.reason) for p in row.problems] for row in preview.bad_rows}


def test_a_clean_sheet_registers_every_proposal_through_the_workflow(meeting, clerk):
    data = xlsx([
        HEADER,
        proposal_row("1001", "关于加强老旧小区加装电梯的建议", "张建山", "李明华、王晓红", "经济界", "城乡建设",
                     "2026年1月12日", "正文一", "是"),
        proposal_row("第1002号", "《关于发展低空经济的提案》", "李明华", "", "", "经济", "2026/1/13", "正文二", "否"),
    ])
    result = import_proposals(meeting=meeting, name="提案.xlsx", data=data, by=clerk)

    assert result.created == 2 and result.members_created == 3
    first = Proposal.objects.get(meeting=meeting, number="1001")
    assert first.title == "关于加强老旧小区加装电梯的建议"
    assert first.status == Proposal.Status.SUBMITTED
    assert (first.category, first.is_key, first.submitted_on) == ("urban", True, dt.date(2026, 1, 12))
    assert [(p.member.name, p.is_lead) for p in first.proposers.select_related("member")] == [
        ("张建山", True), ("李明华", False), ("王晓红", False)]
    assert Member.objects.get(name="张建山").sector == "经济界"
    second = Proposal.objects.get(meeting=meeting, number="1002")
    assert second.title == "关于发展低空经济的提案" and not second.is_key
    # The same person signs both: one member, not two.
    assert Member.objects.filter(name="李明华").count() == 1
    assert Event.objects.filter(proposal__meeting=meeting, action=Event.Action.REGISTER).count() == 2


@pytest.mark.parametrize("header", [
    ["编号", "案由", "提案人", "联名人", "界别", "类别", "提交日期", "内容", "重点提案"],
    ["案号", "标题", "领衔人", "附议人", "代表团", "分类", "提出日期", "正文", "重点提案"],
    ["提案号", "题目", "代表", "联名委员", "党派团体", "类型", "提交日期", "案据", "重点提案"],
    ["建议号", "案由", "委员", "联名代表", "界别", "类别", "提出日期", "内容", "重点提案"],
    ["建议号", "案由", "提出人", "联名人", "界别", "类别", "提出日期", "内容", "是否重点提案"],
    ["* 编号(必填)", "案由(标题)", "第一提案人", "联名人名单", "所在界别", "提案类别", "提交时间", "提案内容", "重点提案"],
])
def test_every_header_spelling_offices_use_is_understood(meeting, clerk, header):
    data = xlsx([header, proposal_row("7", "关于公交线网优化的提案", "赵一", "钱二,孙三;周四 吴五", "九三学社",
                                      "城乡建设", "2026-01-12", "正文", "是")])
    preview = preview_proposal_import(meeting=meeting, name="a.xlsx", data=data)

    assert not preview.bad_rows
    row = preview.rows[0]
    assert (row.number, row.title, row.sector, row.category, row.is_key) == (
        "7", "关于公交线网优化的提案", "九三学社", "urban", True)
    assert [p.name for p in row.proposers] == ["赵一", "钱二", "孙三", "周四", "吴五"]
    assert row.body == "正文"


def test_title_rows_merged_cells_and_trailing_empty_rows(meeting, clerk):
    rows = [
        HEADER,
        proposal_row("1", "关于甲的提案", "张一", sector="经济界"),
        proposal_row("2", "关于乙的提案", "张二", sector=None),
        proposal_row("3", "关于丙的提案", "张三", sector=None),
        [None] * 9, [None] * 9, ["", "", ""],
    ]
    # 界别 (column E) merged over the three proposals of one sector, as offices lay it out.
    data = xlsx(rows, title_rows=["政协第十四届广州市委员会第五次会议", "提案汇总表"], merges=["E4:E6"])
    preview = preview_proposal_import(meeting=meeting, name="a.xlsx", data=data)

    assert preview.header_row == 3
    assert [(row.row, row.number, row.sector) for row in preview.rows] == [
        (4, "1", "经济界"), (5, "2", "经济界"), (6, "3", "经济界")]
    assert not preview.bad_rows


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_gb18030_or_utf8_with_or_without_bom(meeting, clerk, encoding):
    data = csv_bytes([HEADER, proposal_row("9", "关于镕铁𠮷祥的提案", "欧阳锋", "", "民进", "教育")], encoding)
    import_proposals(meeting=meeting, name="导出.CSV", data=data, by=clerk)

    proposal = Proposal.objects.get(meeting=meeting, number="9")
    assert proposal.title == "关于镕铁𠮷祥的提案"
    assert proposal.category == "education"
    assert proposal.proposers.get().member.name == "欧阳锋"


def test_each_bad_row_is_named_with_its_column_and_reason_and_nothing_is_written(meeting, clerk):
    data = xlsx([
        HEADER,
        proposal_row("1", "关于甲的提案", "张一"),
        proposal_row("1", "关于乙的提案", "张二"),          # number repeated
        proposal_row("3", "", "张三"),                      # empty title
        proposal_row("4", "关于丁的提案", ""),              # nobody proposed it
        proposal_row("5", "关于戊的提案", "张五", date="去年"),  # not a date
        proposal_row("6", "关于己的提案", "张六", key="也许"),
        proposal_row("7", "关于庚的提案", "张七", "张七"),    # signs twice
    ])
    preview = preview_proposal_import(meeting=meeting, name="a.xlsx", data=data)

    assert problems_of(preview) == {
        3: [("编号", "编号1与第2行重复")],
        4: [("案由", "案由为空")],
        5: [("提案人", "提案人为空")],
        6: [("提交日期", "“去年”不是有效日期(如 2026-01-12 或 2026年1月12日)")],
        7: [("重点提案", "“也许”不是“是”或“否”")],
        8: [("联名人", "提出人重复:张七")],
    }
    with pytest.raises(WorkflowError) as refused:
        import_proposals(meeting=meeting, name="a.xlsx", data=data, by=clerk)
    assert refused.value.code == "import_has_errors" and "6行" in refused.value.zh
    assert not Proposal.objects.filter(meeting=meeting).exists()
    assert not Member.objects.filter(name__startswith="张").exists()


def test_the_clerk_may_import_the_valid_rows_only(meeting, clerk):
    data = xlsx([HEADER, proposal_row("1", "关于甲的提案", "张一"), proposal_row("2", "", "张二")])
    result = import_proposals(meeting=meeting, name="a.xlsx", data=data, by=clerk, valid_rows_only=True)

    assert (result.created, result.skipped_bad) == (1, 1)
    assert list(Proposal.objects.filter(meeting=meeting).values_list("number", flat=True)) == ["1"]


def test_two_members_of_one_name_are_told_apart_by_sector_or_the_row_is_refused(meeting, clerk):
    economists = MemberFactory(name="张伟", sector="经济界", region=meeting.region)
    MemberFactory(name="张伟", sector="教育界", region=meeting.region)
    data = xlsx([HEADER, proposal_row("1", "关于甲的提案", "张伟", sector="经济界"),
                 proposal_row("2", "关于乙的提案", "张伟"),
                 proposal_row("3", "关于丙的提案", "张伟", sector="医药卫生界")])
    preview = preview_proposal_import(meeting=meeting, name="a.xlsx", data=data)

    assert preview.rows[0].proposers[0].member_id == economists.pk
    assert problems_of(preview) == {
        3: [("提案人", "“张伟”在本届有2位同名委员,请在“界别/代表团”列注明以区分")],
        4: [("界别/代表团", "“张伟”的同名委员中没有界别为“医药卫生界”的")],
    }


def test_members_of_another_region_or_body_are_not_matched(meeting, clerk):
    MemberFactory(name="刘洋", region="深圳市")
    import_proposals(meeting=meeting, name="a.xlsx", by=clerk,
                     data=xlsx([HEADER, proposal_row("1", "关于甲的提案", "刘洋")]))
    assert Member.objects.filter(name="刘洋", region=meeting.region).count() == 1


def test_an_unknown_name_on_two_rows_becomes_one_new_member(meeting, clerk):
    data = xlsx([HEADER, proposal_row("1", "关于甲的提案", "新委员", "老委员"),
                 proposal_row("2", "关于乙的提案", "老委员", "新委员")])
    preview = preview_proposal_import(meeting=meeting, name="a.xlsx", data=data)
    assert preview.new_member_names == ["新委员", "老委员"]

    result = import_proposals(meeting=meeting, name="a.xlsx", data=data, by=clerk)
    assert result.members_created == 2
    assert Member.objects.filter(name="新委员").count() == 1


def test_a_group_proposer_is_one_proposer(meeting, clerk):
    data = xlsx([HEADER, proposal_row("1", "关于甲的提案", "民盟广州市委"),
                 proposal_row("2", "关于乙的提案", "九三学社广州市委员会 经济界别联组")])
    import_proposals(meeting=meeting, name="a.xlsx", data=data, by=clerk)

    group = Proposal.objects.get(meeting=meeting, number="2").proposers.get().member
    assert (group.name, group.kind) == ("九三学社广州市委员会 经济界别联组", Member.Kind.GROUP)
    assert Member.objects.get(name="民盟广州市委").kind == Member.Kind.GROUP


def test_a_20000_character_body_is_kept_whole(meeting, clerk):
    body = ("加装电梯" * 5000)
    import_proposals(meeting=meeting, name="a.xlsx", by=clerk,
                     data=xlsx([HEADER, proposal_row("1", "关于加装电梯的建议", "张一", body=body)]))
    assert len(Proposal.objects.get(meeting=meeting, number="1").body) == 20_000


def test_importing_the_same_file_again_changes_nothing(meeting, clerk):
    data = xlsx([HEADER, proposal_row("1", "关于甲的提案", "张一", "张二", body="正文")])
    import_proposals(meeting=meeting, name="a.xlsx", data=data, by=clerk)
    counts = (Proposal.objects.count(), Member.objects.count(), Event.objects.count())

    again = import_proposals(meeting=meeting, name="a.xlsx", data=data, by=clerk)
    assert (again.created, again.unchanged, again.members_created) == (0, 1, 0)
    assert (Proposal.objects.count(), Member.objects.count(), Event.objects.count()) == counts


def test_a_registered_number_with_other_content_is_a_conflict_not_overwritten(meeting, clerk):
    registered_proposal(by=clerk, meeting=meeting, number="1", title="关于原有内容的提案")
    data = xlsx([HEADER, proposal_row("1", "关于新内容的提案", "张一")])
    preview = preview_proposal_import(meeting=meeting, name="a.xlsx", data=data)

    assert preview.rows[0].outcome == "conflict"
    assert "本次会议已登记第1号,案由、提出人与本行不同" in preview.rows[0].problems[0].reason
    with pytest.raises(WorkflowError):
        import_proposals(meeting=meeting, name="a.xlsx", data=data, by=clerk)
    assert Proposal.objects.get(meeting=meeting, number="1").title == "关于原有内容的提案"


def test_a_file_without_the_required_columns_is_refused_plainly(meeting):
    with pytest.raises(WorkflowError) as refused:
        preview_proposal_import(meeting=meeting, name="a.xlsx", data=xlsx([["序号", "姓名"], [1, "张一"]]))
    assert "缺少:编号、案由、提案人" in refused.value.zh


@pytest.mark.parametrize("name, data", [("a.pdf", b"%PDF"), ("a.xlsx", b"not a zip"), ("a.csv", b"\xff\xfe\x00\xd8")])
def test_an_unreadable_file_gets_a_chinese_error(meeting, name, data):
    with pytest.raises(WorkflowError) as refused:
        preview_proposal_import(meeting=meeting, name=name, data=data)
    assert refused.value.field == "file"


def test_an_old_xls_with_a_title_row_and_a_merged_sector(meeting, clerk):
    from tests.intake.sheets import xls

    data = xls([HEADER, proposal_row("1", "关于甲的提案", "张一", sector="教育界"),
                proposal_row("2", "关于乙的提案", "张二", sector="教育界", date="2026年1月13日")],
               title="提案汇总表", merge_rows=(1, 2, 4))
    import_proposals(meeting=meeting, name="汇总.xls", data=data, by=clerk)

    second = Proposal.objects.get(meeting=meeting, number="2")
    assert second.submitted_on == dt.date(2026, 1, 13)
    assert second.proposers.get().member.sector == "教育界"


# --- through the batch verb (issue 12) -------------------------------------------------------------


def test_importing_costs_the_same_queries_for_50_rows_as_for_5(clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MeetingFactory

    from proposals import access

    MemberFactory(name="张建山")  # known; the others are new
    access.is_clerk(clerk)  # the clerk's groups are read once and kept on the user for both runs

    def queries_importing(count):
        meeting = MeetingFactory()
        data = xlsx([HEADER, *(proposal_row(str(n), f"关于第{n}件事的提案", "张建山", f"新委员{n}、新委员{n + 1}")
                               for n in range(1, count + 1))])
        with CaptureQueriesContext(connection) as captured:
            result = import_proposals(meeting=meeting, name="a.xlsx", data=data, by=clerk)
        assert result.created == count
        return len(captured.captured_queries)

    few, many = queries_importing(5), queries_importing(50)
    print(f"import_proposals: {few} queries for 5 rows, {many} for 50")
    assert many == few <= 25


def test_a_row_the_workflow_refuses_after_the_preview_ends_the_import_naming_the_row(meeting, clerk, monkeypatch):
    from intake.services import proposal_import

    previewed = proposal_import.preview_proposal_import

    def another_clerk_steps_in(**kwargs):
        preview = previewed(**kwargs)
        # Between the preview and the writing, another clerk registers the second number.
        registered_proposal(by=clerk, meeting=meeting, number="1002")
        return preview

    monkeypatch.setattr(proposal_import, "preview_proposal_import", another_clerk_steps_in)
    data = xlsx([HEADER, proposal_row("1001", "关于甲的提案", "张建山"), proposal_row("1002", "关于乙的提案", "李明华")])
    with pytest.raises(WorkflowError) as refused:
        import_proposals(meeting=meeting, name="a.xlsx", data=data, by=clerk)
    assert refused.value.code == "duplicate_number"
    assert refused.value.zh == "第3行(编号1002):本次会议已有第1002号。未导入任何数据"
    assert not Proposal.objects.filter(meeting=meeting, number="1001").exists()
