"""Benchmark: every page and endpoint each role opens daily, at five years of a national office and
at 1% of it, timed server-side and query-counted in one process.

    make bench-pages     # BENCH_PAGES_FULL_URL / BENCH_PAGES_SMALL_URL (…/tracker_pages_full, …_small)

Builds both databases once with bench/national.py (SCALE of the small one: BENCH_PAGES_SMALL_SCALE,
default 0.01) and reuses them. For each page it switches the connection between the two databases,
renders the page warm through Django's test Client several times (BENCH_ROUNDS, default 5) on each,
interleaved so a busy machine slows both alike, and prints the medians, the scale ratio (full over
small) and the queries at both sizes. The last line:
`pages: N pages, worst scale ratio R (page), queries constant: yes|no`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dataset import django_setup, ensure_database  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
BASE = "postgres://postgres@127.0.0.1:5432/"
DATABASES = {
    "small": (os.environ.get("BENCH_PAGES_SMALL_URL", BASE + "tracker_pages_small"),
              float(os.environ.get("BENCH_PAGES_SMALL_SCALE", "0.01"))),
    "full": (os.environ.get("BENCH_PAGES_FULL_URL", BASE + "tracker_pages_full"), 1.0),
}
# A word in about one title in a hundred, as a clerk's search for a subject is. (养老 is in nearly
# every made-up body: BENCH_PAGES_SEARCH=养老 shows what a word found everywhere costs.)
SEARCH = os.environ.get("BENCH_PAGES_SEARCH", "停车难工作")
# A page slower than this on its warm visit is timed once, not ROUNDS times: the run must end.
SLOW_SECONDS = 5


def use(size: str) -> None:
    """Point the default connection at one of the two databases (the next query reconnects)."""
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = DATABASES[size][0].rsplit("/", 1)[-1]


def prepare(size: str) -> dict:
    """Build the office if need be; the people and rows the pages open, and a client per role."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client

    from bench import national
    from proposals.models import Assignment, Meeting, Member, Proposal
    from tracker.tokens import issue_token

    use(size)
    call_command("migrate", verbosity=0)
    if not national.built():
        print(f"building the {size} office (scale {DATABASES[size][1]}) …", flush=True)
        started = time.perf_counter()
        national.build(DATABASES[size][1])
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    users = get_user_model().objects
    meeting = Meeting.objects.get(name=national.MARK.format(national.MEETINGS))
    # The same kind of work at both sizes: an agency's signed-for lead on a proposal in progress,
    # opened by that agency's staff and reviewer.
    assignment = (Assignment.objects.filter(proposal__meeting=meeting, proposal__status="in_progress",
                                            role="lead", state="accepted").order_by("agency_id", "pk").first())
    proposal, agency = assignment.proposal, assignment.agency
    index = int(agency.name.removeprefix("国务院第").removesuffix("承办部门")) - 1
    member = Member.objects.annotate(n=Count("proposals_signed")).order_by("-n", "pk").first()
    mine = Proposal.objects.filter(proposers__member=member).order_by("-pk").first()
    clients = {}
    for role, username in (("clerk", national.CLERK), ("staff", national.staff_name(index)),
                           ("reviewer", national.reviewer_name(index)), ("member", member.user.username)):
        clients[role] = Client()
        clients[role].force_login(users.get(username=username))
    clients["anonymous"] = Client()
    clients["app"] = Client(HTTP_AUTHORIZATION=f"Token {issue_token(user=member.user)}")
    past = Meeting.objects.filter(published_figures__isnull=False).order_by("-year").first()
    return {"clients": clients, "meeting": meeting.pk, "agency": agency.pk, "proposal": proposal.pk,
            "assignment": assignment.pk, "mine": mine.pk, "past": past.pk}


def pages(c: dict) -> list[tuple[str, str, str]]:
    """(role, page, path) of what each person opens daily."""
    p, a, m, g = c["proposal"], c["assignment"], c["meeting"], c["agency"]
    proposals, assignments, replies = "/admin/proposals/proposal/", "/admin/proposals/assignment/", "/admin/replies/reply/"
    return [
        ("clerk", "工作台", "/admin/"),
        ("clerk", "提案列表", proposals),
        ("clerk", "提案列表 按会议", f"{proposals}?meeting__id__exact={m}"),
        ("clerk", "提案列表 按状态", f"{proposals}?status__exact=in_progress"),
        ("clerk", "提案列表 按承办单位", f"{proposals}?agency={g}"),
        ("clerk", "提案列表 已逾期", f"{proposals}?deadline=overdue"),
        ("clerk", "提案列表 7日内到期", f"{proposals}?deadline=week"),
        ("clerk", "提案列表 重点", f"{proposals}?is_key__exact=1"),
        ("clerk", "提案列表 按类别", f"{proposals}?category__exact=science"),
        ("clerk", "提案列表 搜索", f"{proposals}?q={SEARCH}"),
        ("clerk", "提案页", f"{proposals}{p}/change/"),
        ("clerk", "交办列表", assignments),
        ("clerk", "交办列表 待签收", f"{assignments}?state__exact=pending"),
        ("clerk", "交办列表 已逾期", f"{assignments}?deadline=overdue"),
        ("clerk", "交办列表 按单位", f"{assignments}?agency__id__exact={g}"),
        ("clerk", "交办列表 搜索", f"{assignments}?q={SEARCH}"),
        ("clerk", "答复列表", replies),
        ("clerk", "答复列表 已答复", f"{replies}?state__exact=sent"),
        ("clerk", "答复列表 搜索", f"{replies}?q={SEARCH}"),
        ("clerk", "评价列表", "/admin/replies/feedback/"),
        ("clerk", "延期列表", "/admin/proposals/extension/"),
        ("clerk", "提醒通知列表", "/admin/notifications/notification/"),
        ("clerk", "代表列表", "/admin/proposals/member/"),
        ("clerk", "统计分析", f"/admin/reports/dashboard/?meeting={m}"),
        ("clerk", "统计导出 xlsx", f"/admin/reports/dashboard/export/agencies.xlsx?meeting={m}"),
        ("clerk", "统计导出 csv", f"/admin/reports/dashboard/export/agencies.csv?meeting={m}"),
        ("staff", "工作台", "/admin/"),
        ("staff", "提案列表", proposals),
        ("staff", "提案页", f"{proposals}{p}/change/"),
        ("staff", "交办列表", assignments),
        ("staff", "交办列表 待签收", f"{assignments}?state__exact=pending"),
        ("staff", "交办页", f"{assignments}{a}/change/"),
        ("staff", "答复列表", replies),
        ("staff", "我的消息", "/admin/notifications/mynotification/"),
        ("staff", "统计分析", f"/admin/reports/dashboard/?meeting={m}"),
        ("reviewer", "工作台", "/admin/"),
        ("reviewer", "答复列表 待签发", f"{replies}?state__exact=in_review"),
        ("member", "我的提案", "/my/"),
        ("member", "提案详情", f"/my/proposals/{c['mine']}/"),
        ("app", "API 我的提案", "/api/v1/proposals/"),
        ("app", "API 提案详情", f"/api/v1/proposals/{c['mine']}/"),
        ("app", "API 通知", "/api/v1/notifications/"),
        ("anonymous", "公开答复", "/public/replies/"),
        ("anonymous", "公开答复 搜索", f"/public/replies/?q={SEARCH}"),
        ("anonymous", "公开统计", "/public/figures/"),
        ("anonymous", "公开统计 会议", f"/public/figures/{c['past']}/"),
        ("anonymous", "API 公开答复", "/api/v1/public/replies/"),
        ("anonymous", "API 公开答复 搜索", f"/api/v1/public/replies/?q={SEARCH}"),
        ("anonymous", "API 公开统计", f"/api/v1/public/figures/?meeting={c['past']}"),
    ]


def measure_page(contexts: dict, index: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result, slow = {"ms": {}, "queries": {}}, False
    for size, context in contexts.items():
        role, name, path = pages(context)[index]
        use(size)
        client = context["clients"][role]
        started = time.perf_counter()
        response = client.get(path)  # warm: a first visit loads what every later one finds cached
        slow = slow or time.perf_counter() - started > SLOW_SECONDS
        if response.status_code != 200:
            sys.exit(f"{role} {name} {path} answered {response.status_code} on the {size} office")
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        result["queries"][size] = len(captured.captured_queries)
        result["ms"][size] = []
    result["role"], result["name"] = role, name
    for _ in range(1 if slow else ROUNDS):
        for size, context in contexts.items():
            use(size)
            path = pages(context)[index][2]
            context["clients"][role].get(path)  # the reconnect is not the page's
            started = time.perf_counter()
            context["clients"][role].get(path)
            result["ms"][size].append((time.perf_counter() - started) * 1000)
    return result


def main() -> None:
    for url, _scale in DATABASES.values():
        ensure_database(url)
    os.environ["DATABASE_URL"] = DATABASES["full"][0]
    django_setup()
    contexts = {size: prepare(size) for size in DATABASES}
    count = len(pages(contexts["small"]))
    print(f"{'role':<10} {'page':<24} {'1% ms':>8} {'full ms':>8} {'ratio':>6} {'queries 1%/full':>16}", flush=True)
    worst, constant = (0.0, ""), True
    for index in range(count):
        result = measure_page(contexts, index)
        small, full = (statistics.median(result["ms"][size]) for size in ("small", "full"))
        ratio = full / small
        queries = result["queries"]
        constant &= queries["small"] == queries["full"]
        label = f"{result['role']} {result['name']}"
        worst = max(worst, (ratio, label))
        flag = "" if queries["small"] == queries["full"] else "  ≠"
        print(f"{result['role']:<10} {result['name']:<24} {small:8.1f} {full:8.1f} {ratio:6.2f} "
              f"{queries['small']:>7}/{queries['full']:<7}{flag}", flush=True)
    print(f"pages: {count} pages, worst scale ratio {worst[0]:.2f} ({worst[1]}), "
          f"queries constant: {'yes' if constant else 'no'}")


if __name__ == "__main__":
    main()
