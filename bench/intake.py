"""Benchmark: a meeting's intake at national scale (issue #12).

    make bench-intake        # BENCH_INTAKE_DATABASE_URL, default postgres://…/tracker_intake_bench

Builds its own database afresh (migrations), then measures, each against a baseline that writes
the same rows with bulk_create and no checks:
1. import of a 10,000-row .xlsx (1-5 proposers each, 3,000 member names, half already known):
   the full service (read, preview, the rows through register_proposals) → `import ratio R1`;
2. 交办 of 9,000 accepted proposals to 213 agencies (one lead and 0-4 assisting each, about 27,000
   assignments) through import_assignments → `assign ratio R2`;
3. similar proposals (title and body) for 200 sampled among 100,000: the two GiST index searches
   re-ranked by the combined score, against the same score over every row → `similar recall X,
   speedup Y` (recall: share of the exact top 5 found, a tie with the 5th score counting as found;
   speedup: median exact time / median index time);
4. suggested lead agencies on the real letters of tests/letters/real (leave one out, agency kind as label): top-3 hit rate.
The last line: `intake: import ratio R1, assign ratio R2, similar recall X, speedup Y`.
BENCH_ONLY=similar runs part 3 alone (its proposals have bodies, 3% of them 5,000-20,000 characters,
and the exact search reads every body: BENCH_EXACT_TIMED of them are timed, 5 by default).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
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
EXACT_TIMED = int(os.environ.get("BENCH_EXACT_TIMED", "5"))  # exact SQL searches timed (each reads every body)
ON = dt.date(2026, 3, 2)
LETTERS = Path(os.environ.get("BENCH_LETTERS", ROOT / "tests" / "letters" / "real")) / "expected.json"

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

# Words a body about a subject keeps coming back to: each subject draws its own few from this pool
# (so subjects overlap a little, as real matters do).
TOPIC_POOL = ("车位 泊位 停放 收费 线路 站点 班次 换乘 校舍 师资 课程 学位 床位 护理 助餐 照护 诊所 医保 药品 签约 污水 排放 "
              "监测 绿地 景区 游客 民宿 演出 专利 孵化 成果 转化 审批 窗口 融资 贷款 租金 房源 配租 保障房 抽检 餐饮 溯源 冷链 "
              "分拣 回收 清运 桶站 幼儿园 保育 实训 技工 产业园 集体 合作社 宅基地 平台 数据 系统 接口 拆迁 片区 风貌 河长 堤防 "
              "水质 清淤 电池 头盔 充电 物业费 业委会 维修金 灌溉 渠道 泵站 场馆 健身 步道 借阅 分馆 书香 传承人 技艺 展演 "
              "人才公寓 落户 补贴 中小企业 订单 出口 海外仓 无人机 航线 起降 电池组 续航 充电站 快充 托位 托育 育婴 心理 咨询 "
              "热线 中药 针灸 名医 司机 平台抽成 派单 网点 驿站 末端 夜市 灯光 摊位 老街 骑楼 修缮 水厂 管网 水源 护林 瞭望 防火带 "
              "随班 康复 手语 岗位 辅具 安置 优抚 权益 妇联 家暴 校园 课外 近视 学员 课表 食堂 配餐 送餐 巷道 路灯 井盖 出租屋 消防 "
              "电线").split()
PROBLEMS = ["不足", "滞后", "覆盖面不广", "标准不统一", "资金缺口较大", "监管薄弱", "供需矛盾突出", "分布不均", "利用率不高",
            "群众反映强烈", "缺乏统筹", "政策落实不到位"]
GENERAL = ["统筹规划", "部门协同", "资金保障", "考核评价", "社会参与", "宣传引导", "信息化手段", "示范试点", "长效管理",
           "标准体系", "基层治理", "公共服务均等化", "财政投入", "市场机制", "群众满意度", "督查问责"]
OPENINGS = ["近年来,我市{s}工作取得积极进展,但仍存在一些问题。", "{s}关系群众切身利益,是民生工作的重要内容。",
            "经调研发现,{s}方面还存在短板。", "当前,{s}面临新情况新问题。", ""]
TOPIC_SHARE_OTHER_TITLE = 0.1  # bodies about another subject than their title's: found by body, not title


def topic_words(subject: str) -> list[str]:
    return random.Random(subject).sample(TOPIC_POOL, 5)


def proposal_body(rng: random.Random, subject: str, extra: str) -> str:
    """A body about `subject`: boilerplate opening, problems and numbered requests using the subject's
    words, general talk between; most 300-1,500 characters, a few up to 20,000."""
    words = topic_words(subject)
    size = rng.choice((300, 500, 800, 1200, 1500)) if rng.random() > 0.03 else rng.randint(5_000, 20_000)
    parts = [rng.choice(OPENINGS).format(s=subject)]
    numbers = "一二三四五六七八九十"
    while sum(map(len, parts)) < size:
        parts.append(f"{rng.choice(words)}{rng.choice(PROBLEMS)},{rng.choice(GENERAL)}有待加强。")
        parts.append(f"{subject}{rng.choice(words)}{rng.choice(PROBLEMS)}。")
        if rng.random() < 0.3:
            parts.append("现提出如下建议:" + ";".join(
                f"{numbers[i]}是加强{rng.choice(words)}{rng.choice(GENERAL)}" for i in range(rng.randint(2, 5))) + "。")
        if rng.random() < 0.2:
            parts.append(f"建议{rng.choice(VERBS).removeprefix('关于')}{extra},{rng.choice(GENERAL)}。")
    return "".join(parts)[:20_000]


def similar_corpus(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(title, body) pairs; some bodies speak of another subject than their title."""
    rows = []
    for _ in range(count):
        subject, extra = rng.choice(SUBJECTS), rng.choice(OBJECTS)
        heading = f"关于{rng.choice(VERBS).removeprefix('关于')}{rng.choice(PLACES)}{subject}{extra}的提案"
        matter = rng.choice(SUBJECTS) if rng.random() < TOPIC_SHARE_OTHER_TITLE else subject
        rows.append((heading, proposal_body(rng, matter, extra)))
    return rows


def bench_similar() -> tuple[float, float]:
    from django.db import connection

    from intake.selectors import MIN_SCORE, brute_force_scores, similar_proposal_matches
    from intake.similarity import BODY_READ, Fingerprint, likeness
    from proposals.models import Meeting, Proposal

    rng = random.Random(56)
    meetings = Meeting.objects.bulk_create(
        Meeting(body="cppcc", region="深圳市", term=7, session=s, year=2016 + s, name=f"深圳政协{2016 + s}年会议")
        for s in range(1, 11))
    corpus = similar_corpus(rng, SIMILAR_PROPOSALS)
    # The keyword search's index (proposals/0005, tracker_bigrams) is not read by the similar search:
    # dropped so that writing the 100,000 bodies costs only what this part measures.
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS proposal_search_bigrams")
    started = time.perf_counter()
    Proposal.objects.bulk_create(
        [Proposal(meeting=meetings[n % 10], number=str(n), title=heading, body=body, submitted_on=dt.date(2026, 1, 12))
         for n, (heading, body) in enumerate(corpus)], batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE proposals_proposal")
    print(f"similar: {SIMILAR_PROPOSALS} proposals with bodies (mean {statistics.mean(len(b) for _, b in corpus):.0f} "
          f"characters) written and indexed in {time.perf_counter() - started:.0f} s", flush=True)
    scope = [m.pk for m in meetings]
    rows = list(Proposal.objects.filter(meeting_id__in=scope).order_by().values_list("pk", "title", "body"))
    prints = {pk: Fingerprint.of(heading, body[:BODY_READ]) for pk, heading, body in rows}
    samples = Proposal.objects.filter(pk__in=rng.sample([pk for pk, _, _ in rows], SIMILAR_SAMPLES)).select_related("meeting")
    fast, exact, recalls, by_body, agreed = [], [], [], 0, 0
    for index, proposal in enumerate(samples):
        found, took = timed(similar_proposal_matches, proposal, limit=5, meetings=scope)
        fast.append(took)
        wanted = prints[proposal.pk]
        truth = sorted(((likeness(wanted, p).score, pk) for pk, p in prints.items() if pk != proposal.pk), reverse=True)
        truth = [(score, pk) for score, pk in truth if score >= MIN_SCORE][:5]
        by_body += sum("标题相近" not in match.likeness.parts for match in found)
        if truth:
            fifth = truth[-1][0]
            hits = sum(1 for match in found if likeness(wanted, prints[match.pk]).score >= fifth - 1e-9)
            recalls.append(min(hits, len(truth)) / len(truth))
        if index < EXACT_TIMED:
            reference, took = timed(brute_force_scores, proposal, limit=5, meetings=scope)
            exact.append(took)
            agreed += [round(score, 5) for _, score in reference] == [round(score, 5) for score, _ in truth]
    print(f"similar: {SIMILAR_PROPOSALS} proposals, {SIMILAR_SAMPLES} samples; index search median "
          f"{statistics.median(fast) * 1000:.1f} ms (p95 {sorted(fast)[int(len(fast) * 0.95)] * 1000:.1f} ms); "
          f"exact over every row median {statistics.median(exact) * 1000:.0f} ms ({len(exact)} timed, "
          f"{agreed} with the same top-5 scores in SQL as in Python); hits alike by body only: {by_body}", flush=True)
    return statistics.mean(recalls), statistics.median(exact) / statistics.median(fast)


# --- 4. suggestions on real letters ---------------------------------------------------------


def agency_kind(name: str) -> str:
    """平江县交通运输局 → 交通运输局: drop the place names in front. A place name holds no 和, so
    住房和城乡建设局 keeps its 城乡 and 绿化和市容管理局 its 市容; a bare 市 or 区 in front (市水利局,
    区卫生计生局: the letter names no place) goes too."""
    place = re.compile(r"^[^和]{1,7}?(自治州|自治县|新区|省|市|州|盟|县|区|旗|镇|乡|街道)(?=.{3,}$)")
    while (match := place.match(name)) and not name.startswith(("城市", "市场", "市容", "城乡")):
        name = name[match.end():]
    return re.sub(r"^[市区县](?![场容政])(?=.{3,}$)", "", name)


def letters_hit_rates() -> tuple[dict[str, tuple[float, float]], int]:
    """Top-1 and top-3 hit rates of the suggested lead (its kind) on the real letters, each left out
    in turn: from the others' history alone, and with the starting duty keywords as well."""
    from intake.duty_defaults import default_keywords_for
    from intake.similarity import title_similarity
    from intake.suggestions import HISTORY_MIN_SCORE, HISTORY_NEIGHBOURS, Precedent, rank_labels

    letters = [(x["title"], agency_kind(lead if isinstance(lead, str) else lead[0]))
               for x in json.loads(LETTERS.read_text()) if (lead := x.get("lead_agency")) and x.get("title")]
    rates = {}
    for variant in ("history", "history and keywords"):
        first = top3 = 0
        for index, (letter_title, label) in enumerate(letters):
            others = letters[:index] + letters[index + 1:]
            labels = {other for _, other in others}
            precedents = sorted(
                (Precedent(str(i), title_similarity(letter_title, t), other, other)
                 for i, (t, other) in enumerate(others)), key=lambda p: -p.similarity)[:HISTORY_NEIGHBOURS]
            precedents = [p for p in precedents if p.similarity >= HISTORY_MIN_SCORE]
            keywords = {other: default_keywords_for(other) for other in labels} if variant != "history" else {}
            ranked = [s.label for s in rank_labels(title=letter_title, body="", precedents=precedents,
                                                   names={other: [other] for other in labels}, keywords=keywords,
                                                   display={other: other for other in labels},
                                                   leads=Counter(other for _, other in others))]
            first += ranked[:1] == [label]
            top3 += label in ranked[:3]
        rates[variant] = (first / len(letters), top3 / len(letters))
    return rates, len(letters)


def letters_line() -> str:
    rates, letters = letters_hit_rates()
    return (f"suggestions on {letters} real letters (leave one out, agency kind as label): "
            + "; ".join(f"{variant}: top-1 {one:.2f}, top-3 {three:.2f}" for variant, (one, three) in rates.items()))


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
    if os.environ.get("BENCH_ONLY") == "similar":  # the similar part alone, at full scale
        recall, speedup = bench_similar()
        print(f"intake: similar recall {recall:.2f}, speedup {speedup:.0f}")
        return
    clerk = get_user_model().objects.create_superuser("bench-clerk", password=None)
    print(letters_line(), flush=True)
    import_ratio = bench_import(clerk)
    assign_ratio = bench_assign(clerk)
    recall, speedup = bench_similar()
    print(f"intake: import ratio {import_ratio:.1f}, assign ratio {assign_ratio:.1f}, similar recall {recall:.2f}, "
          f"speedup {speedup:.0f}")


if __name__ == "__main__":
    main()
