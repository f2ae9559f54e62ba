"""Benchmark: a meeting's intake at national scale (issue #12).

    make bench-intake        # BENCH_INTAKE_DATABASE_URL, default postgres://…/tracker_intake_bench

Builds its own database afresh (migrations), then measures, each against a baseline that writes
the same rows with bulk_create and no checks:
1. import of a 10,000-row .xlsx (1-5 proposers each, 3,000 member names, half already known):
   the full service (read, preview, the rows through register_proposals) → `import ratio R1`;
2. 交办 of 9,000 accepted proposals to 213 agencies (one lead and 0-4 assisting each, about 27,000
   assignments) through import_assignments → `assign ratio R2`;
3. similar titles for 200 sampled proposals among 100,000: the GiST index search against the same
   score over every row → `similar recall X, speedup Y` (recall: share of the exact top 5 found,
   a tie with the 5th score counting as found; speedup: median exact time / median index time);
4. suggested lead agencies on ../shared/letters (leave one out, agency kind as label): top-3 hit rate.
The last line: `intake: import ratio R1, assign ratio R2, similar recall X, speedup Y`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
IMPORT_ROWS = int(10_000 * SCALE)
MEMBER_NAMES = int(3_000 * SCALE)
ASSIGN_PROPOSALS = int(9_000 * SCALE)
AGENCIES = 213
SIMILAR_PROPOSALS = int(100_000 * SCALE)
SIMILAR_SAMPLES = 200
EXACT_TIMED = int(os.environ.get("BENCH_EXACT_TIMED", "20"))  # exact SQL searches timed (each reads every row)
ON = dt.date(2026, 3, 2)
LETTERS = ROOT.parent / "shared" / "letters" / "expected.json"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志文斌宇浩凯健俊帆帅旭宁婷雪琳晨"
SUBJECTS = ["老旧小区", "农村公路", "中小学", "社区养老", "公共交通", "停车设施", "基层医疗", "生态环境", "文化旅游", "科技创新",
            "营商环境", "住房保障", "食品安全", "垃圾分类", "学前教育", "职业教育", "乡村振兴", "数字政府", "城市更新", "河道治理",
            "电动自行车", "物业管理", "农田水利", "体育设施", "公共图书馆", "非遗保护", "人才引进", "民营企业", "跨境电商", "低空经济",
            "新能源汽车", "充电桩", "托育服务", "心理健康", "中医药", "网约车", "快递行业", "夜间经济", "历史街区", "山区供水",
            "森林防火", "特殊教育", "残疾人就业", "退役军人", "妇女儿童", "青少年", "老年大学", "社区食堂", "背街小巷", "城中村"]
OBJECTS = ["加装电梯", "安全管理", "服务体系", "设施建设", "人才队伍", "资金投入", "标准化建设", "数字化转型", "监管机制", "配套政策",
           "运营补贴", "规划布局", "质量提升", "应急保障", "信用体系", "收费标准", "用地保障", "改造提升", "长效机制", "信息公开"]
VERBS = ["加强", "推进", "完善", "优化", "促进", "加快", "规范", "支持", "关于进一步", "切实"]
PLACES = ["", "", "", "我市", "农村地区", "中心城区", "山区", "新城区"]
KINDS = ["交通运输局", "教育局", "卫生健康委员会", "住房和城乡建设局", "民政局", "科学技术局", "生态环境局", "农业农村局",
         "文化广电旅游局", "市场监督管理局", "人力资源和社会保障局", "财政局", "公安局", "水务局", "城市管理和综合执法局"]


def recreate_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[-1]
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: the benchmark's database name must contain 'bench'")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def title(rng: random.Random, kind: str = "提案") -> str:
    subject, extra = rng.choice(SUBJECTS), rng.choice(OBJECTS)
    return f"关于{rng.choice(VERBS).removeprefix('关于')}{rng.choice(PLACES)}{subject}{extra}的{kind}"


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def rolled_back(function):
    """Run `function` in a transaction that is then undone: the baseline leaves the state as it found it."""
    from django.db import transaction

    with transaction.atomic():
        result = function()
        transaction.set_rollback(True)
    return result


# --- 1. import ------------------------------------------------------------------------------


def bench_import(clerk) -> float:
    from openpyxl import Workbook

    from intake.services.proposal_import import import_proposals, preview_proposal_import
    from proposals.models import Meeting, Member, Proposal, Proposer

    rng = random.Random(12)
    meeting = Meeting.objects.create(body="cppcc", region="广州市", term=14, session=9, year=2026, name="政协基准会议",
                                     opened_on=dt.date(2026, 1, 10))
    names = sorted({rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))) for _ in range(MEMBER_NAMES * 3)})
    names = rng.sample(names, MEMBER_NAMES)
    Member.objects.bulk_create(Member(name=name, body="cppcc", region="广州市") for name in names[: MEMBER_NAMES // 2])
    rows = []
    for n in range(IMPORT_ROWS):
        signers = rng.sample(names, rng.randint(1, 5))
        rows.append([str(n + 1), title(rng), signers[0], "、".join(signers[1:]), rng.choice(["经济界", "教育界", ""]),
                     rng.choice(["经济", "教育", "城乡建设", "社会事业"]), "2026-01-12",
                     f"近年来{rng.choice(SUBJECTS)}工作取得进展,但仍存在不足。建议{rng.choice(VERBS)}{rng.choice(OBJECTS)}。" * 4, "否"])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["政协基准会议提案汇总表"])
    sheet.append(["案号", "案由", "提案人", "联名人", "界别", "类别", "提交日期", "内容", "重点提案"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()

    def baseline():
        known = {m.name: m for m in Member.objects.filter(body="cppcc", region="广州市")}
        new = {}
        for row in rows:
            for name in [row[2], *row[3].split("、")] if row[3] else [row[2]]:
                if name not in known and name not in new:
                    new[name] = Member(name=name, body="cppcc", region="广州市")
        Member.objects.bulk_create(new.values(), batch_size=2000)
        known.update(new)
        proposals = Proposal.objects.bulk_create(
            [Proposal(meeting=meeting, number=row[0], title=row[1], body=row[7], category="economy",
                      submitted_on=dt.date(2026, 1, 12)) for row in rows], batch_size=2000)
        Proposer.objects.bulk_create(
            [Proposer(proposal=proposal, member=known[name], order=i, is_lead=i == 1)
             for proposal, row in zip(proposals, rows)
             for i, name in enumerate([row[2], *row[3].split("、")] if row[3] else [row[2]], start=1)],
            batch_size=5000)
        return len(proposals)

    _, base = timed(rolled_back, baseline)
    _, preview_time = timed(preview_proposal_import, meeting=meeting, name="基准.xlsx", data=data)
    result, full = timed(import_proposals, meeting=meeting, name="基准.xlsx", data=data, by=clerk)
    assert result.created == IMPORT_ROWS, result
    _, again = timed(import_proposals, meeting=meeting, name="基准.xlsx", data=data, by=clerk)
    print(f"import: {IMPORT_ROWS} rows ({len(data) // 1024} KB .xlsx); baseline bulk_create {base:.2f} s; "
          f"preview alone {preview_time:.2f} s; full import {full:.2f} s; re-import (no-op) {again:.2f} s; "
          f"members created {result.members_created}", flush=True)
    return full / base


# --- 2. 交办 --------------------------------------------------------------------------------


def bench_assign(clerk) -> float:
    from openpyxl import Workbook

    from intake.services.assignment_import import import_assignments
    from proposals.deadlines import compute_deadlines
    from proposals.models import Agency, Assignment, Event, Meeting, Proposal

    rng = random.Random(34)
    meeting = Meeting.objects.create(body="npc", region="全国", term=14, session=2, year=2026, name="人大基准会议")
    agencies = Agency.objects.bulk_create(
        Agency(name=f"全国{KINDS[n % len(KINDS)]}{n // len(KINDS) or ''}", region="全国") for n in range(AGENCIES))
    proposals = Proposal.objects.bulk_create(
        [Proposal(meeting=meeting, number=str(n + 1), title=title(rng, "建议"), kind="suggestion", status="accepted",
                  submitted_on=dt.date(2026, 3, 1)) for n in range(ASSIGN_PROPOSALS)], batch_size=5000)
    plan = []
    for proposal in proposals:
        chosen = rng.sample(agencies, 1 + rng.choice((0, 1, 2, 2, 3, 4)))
        plan.append((proposal, chosen[0], chosen[1:]))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["编号", "主办单位", "会办单位"])
    for proposal, lead, assisting in plan:
        sheet.append([proposal.number, lead.name, "、".join(a.name for a in assisting)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()

    def baseline():
        lead_due = compute_deadlines(meeting=meeting, role="lead", assigned_on=ON)
        assisting_due = compute_deadlines(meeting=meeting, role="assisting", assigned_on=ON)
        rows = []
        for proposal, lead, assisting in plan:
            for agency, role, due in [(lead, "lead", lead_due), *((a, "assisting", assisting_due) for a in assisting)]:
                rows.append(Assignment(proposal=proposal, agency=agency, role=role, assigned_on=ON, due_on=due.due_on,
                                       due_provisional=due.provisional,
                                       reassignment_window_ends_on=due.reassignment_window_ends_on,
                                       communication_due_on=due.communication_due_on))
        Assignment.objects.bulk_create(rows, batch_size=5000)
        Proposal.objects.filter(meeting=meeting).update(status="assigned")
        Event.objects.bulk_create([Event(proposal=p, action="assign", from_state="accepted", to_state="assigned")
                                   for p, _, _ in plan], batch_size=5000)
        return len(rows)

    made, base = timed(rolled_back, baseline)
    result, full = timed(import_assignments, meeting=meeting, name="交办.xlsx", data=data, by=clerk, on=ON)
    assert result.assignments == made, (result, made)
    print(f"assign: {ASSIGN_PROPOSALS} proposals, {made} assignments to {AGENCIES} agencies; baseline bulk_create "
          f"{base:.2f} s; full import through assign_proposals {full:.2f} s", flush=True)
    return full / base


# --- 3. similar -----------------------------------------------------------------------------


def bench_similar() -> tuple[float, float]:
    from django.db import connection

    from intake.selectors import MIN_SCORE, brute_force_scores, similar_proposal_scores
    from intake.similarity import similarity, title_grams, trigrams
    from proposals.models import Meeting, Proposal

    rng = random.Random(56)
    meetings = Meeting.objects.bulk_create(
        Meeting(body="cppcc", region="深圳市", term=7, session=s, year=2016 + s, name=f"深圳政协{2016 + s}年会议")
        for s in range(1, 11))
    Proposal.objects.bulk_create(
        [Proposal(meeting=meetings[n % 10], number=str(n), title=title(rng), submitted_on=dt.date(2026, 1, 12))
         for n in range(SIMILAR_PROPOSALS)], batch_size=10000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_proposal")
    scope = [m.pk for m in meetings]
    rows = list(Proposal.objects.filter(meeting_id__in=scope).values_list("pk", "title"))
    grams = {pk: trigrams(title_grams(t)) for pk, t in rows}
    samples = Proposal.objects.filter(pk__in=rng.sample([pk for pk, _ in rows], SIMILAR_SAMPLES)).select_related("meeting")
    fast, exact, recalls = [], [], []
    for index, proposal in enumerate(samples):
        found, took = timed(similar_proposal_scores, proposal, limit=5, meetings=scope)
        fast.append(took)
        wanted = grams[proposal.pk]
        truth = sorted(((similarity(wanted, g), pk) for pk, g in grams.items() if pk != proposal.pk), reverse=True)
        truth = [(score, pk) for score, pk in truth if score >= MIN_SCORE][:5]
        if truth:
            fifth = truth[-1][0]
            hits = sum(1 for pk, _ in found if similarity(wanted, grams[pk]) >= fifth - 1e-9)
            recalls.append(min(hits, len(truth)) / len(truth))
        if index < EXACT_TIMED:
            _, took = timed(brute_force_scores, proposal, limit=5, meetings=scope)
            exact.append(took)
    print(f"similar: {SIMILAR_PROPOSALS} proposals, {SIMILAR_SAMPLES} samples; index search median "
          f"{statistics.median(fast) * 1000:.1f} ms (p95 {sorted(fast)[int(len(fast) * 0.95)] * 1000:.1f} ms); "
          f"exact over every row median {statistics.median(exact) * 1000:.0f} ms ({len(exact)} timed)", flush=True)
    return statistics.mean(recalls), statistics.median(exact) / statistics.median(fast)


# --- 4. suggestions on real letters ---------------------------------------------------------


def agency_kind(name: str) -> str:
    """平江县交通运输局 → 交通运输局: drop the place names in front."""
    place = re.compile(r"^.{1,7}?(自治州|自治县|新区|省|市|州|盟|县|区|旗|镇|乡|街道)(?=.{3,}$)")
    while (match := place.match(name)) and not name.startswith(("城市", "市场", "市容")):
        name = name[match.end():]
    return name


def letters_hit_rate() -> tuple[float, float, int]:
    from intake.duty_defaults import default_keywords_for
    from intake.similarity import title_similarity
    from intake.suggestions import HISTORY_MIN_SCORE, HISTORY_NEIGHBOURS, Precedent, rank_labels

    letters = [(x["title"], agency_kind(x["lead_agency"])) for x in json.loads(LETTERS.read_text())
               if x.get("lead_agency") and x.get("title")]
    rates = []
    for with_keywords in (False, True):
        hits = 0
        for index, (letter_title, label) in enumerate(letters):
            others = letters[:index] + letters[index + 1:]
            labels = {other for _, other in others}
            precedents = sorted(
                (Precedent(str(i), title_similarity(letter_title, t), other, other)
                 for i, (t, other) in enumerate(others)), key=lambda p: -p.similarity)[:HISTORY_NEIGHBOURS]
            precedents = [p for p in precedents if p.similarity >= HISTORY_MIN_SCORE]
            keywords = {other: default_keywords_for(other) for other in labels} if with_keywords else {}
            ranked = rank_labels(title=letter_title, body="", precedents=precedents,
                                 names={other: [other] for other in labels}, keywords=keywords,
                                 display={other: other for other in labels})
            hits += label in [s.label for s in ranked]
        rates.append(hits / len(letters))
    return rates[0], rates[1], len(letters)


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    recreate_database(url)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database migrated in {time.perf_counter() - started:.0f} s", flush=True)
    clerk = get_user_model().objects.create_superuser("bench-clerk", password=None)
    history_only, with_keywords, letters = letters_hit_rate()
    print(f"suggestions on {letters} real letters (leave one out, agency kind as label): top-3 hit rate "
          f"{history_only:.2f} from history alone, {with_keywords:.2f} with the default duty keywords", flush=True)
    import_ratio = bench_import(clerk)
    assign_ratio = bench_assign(clerk)
    recall, speedup = bench_similar()
    print(f"intake: import ratio {import_ratio:.1f}, assign ratio {assign_ratio:.1f}, similar recall {recall:.2f}, "
          f"speedup {speedup:.0f}")


if __name__ == "__main__":
    main()
