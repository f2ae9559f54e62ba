"""Charts drawn on the server as SVG (pygal): no JavaScript, no CDN, nothing from the internet.

pygal's default page script comes from a CDN; `js=[]` turns it off, so tooltips are the SVG's own
<title> elements and the charts read the same offline.
"""

from __future__ import annotations

import itertools
import re

import pygal
from pygal.style import Style

from reports.figures import ACCEPTED_STATUSES, ASSIGNED_STATUSES

FONT = "'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', 'SimHei', sans-serif"
STYLE = Style(
    font_family=FONT, label_font_family=FONT, major_label_font_family=FONT, value_font_family=FONT,
    title_font_family=FONT, legend_font_family=FONT, tooltip_font_family=FONT,
    background="white", plot_background="white", foreground="#333", foreground_strong="#222",
    foreground_subtle="#777", colors=("#2f6db5", "#e08a1e", "#3a9b5c", "#c0392b", "#7d5ba6"),
    title_font_size=16, label_font_size=12, major_label_font_size=12, legend_font_size=12, value_font_size=11,
)
MOST_AGENCIES = 30  # a bar chart stays readable at 1366×768; the table below it has every agency


def _config(**extra) -> dict:
    settings = dict(style=STYLE, js=[], disable_xml_declaration=True, explicit_size=False, width=640, height=360,
                    print_values=False, legend_at_bottom=True, no_data_text="暂无数据", truncate_label=-1,
                    truncate_legend=-1)
    return {**settings, **extra}


_INLINE_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _room_for_labels(labels) -> dict:
    """A left margin wide enough for Chinese axis labels: pygal sizes label room for Latin letters
    (0.6 em each), so a CJK name (1 em each) ran off the left edge (广州市科学技术局 read 州市科学技术局)."""
    longest = max((len(label) for label in labels), default=0)
    return {"margin_left": 20 + round(0.45 * STYLE.label_font_size * longest)}


def _render(chart) -> str:
    # pygal still writes an inline <script> with its config (for its tooltips, which js=[] leaves
    # out anyway); the page's Content-Security-Policy blocks inline scripts, so it is dropped.
    return _INLINE_SCRIPT.sub("", chart.render(is_unicode=True))


def agency_bars(figures: dict) -> str:
    """按期办复率 and 办理结果满意率 per lead/joint agency, lowest on-time first (the ones to chase)."""
    rows = [r for r in figures["agencies"] if r["role_code"] == "answering"]
    rows.sort(key=lambda r: (r["on_time_rate"] is None, r["on_time_rate"] or 0, r["agency"]))
    rows = rows[:MOST_AGENCIES]
    title = "各承办单位按期办复率与办理结果满意率（%）"
    if len(rows) == MOST_AGENCIES:
        title += f"（按期办复率最低的{MOST_AGENCIES}个单位）"
    labels = [r["agency"] for r in rows]
    chart = pygal.HorizontalBar(**_config(title=title, height=max(240, 60 + 34 * len(rows)), range=(0, 100),
                                          **_room_for_labels(labels)))
    chart.x_labels = labels
    chart.add("按期办复率", [_percent(r["on_time_rate"]) for r in rows])
    chart.add("办理结果满意率", [_percent(r["satisfied_result_rate"]) for r in rows])
    return _render(chart)


def category_pie(figures: dict) -> str:
    labels = {c["code"]: f"{c['code']}类 {c['label']}" for c in figures["reply_categories"]}
    chart = pygal.Pie(**_config(title="答复类别分布（件）", inner_radius=0.4))
    for code, n in sorted(figures["totals"]["category_split"].items()):
        chart.add(labels.get(code, code), n)
    return _render(chart)


def weekly_curve(figures: dict) -> str:
    """Cumulative replies against cumulative deadlines, week by week: above the curve is on pace."""
    weeks = figures["weekly"]
    chart = pygal.Line(**_config(title="每周累计答复与累计到期（件）", x_label_rotation=30, show_minor_x_labels=False,
                                 dots_size=2))
    chart.x_labels = [w["week"][5:] for w in weeks]
    chart.x_labels_major = chart.x_labels[:: max(1, len(weeks) // 8)]
    chart.add("累计答复", list(itertools.accumulate(w["replied"] for w in weeks)))
    chart.add("累计到期", list(itertools.accumulate(w["due"] for w in weeks)))
    return _render(chart)


def funnel_stages(figures: dict) -> list[tuple[str, int]]:
    """Received → 立案 → 交办 → 答复 → 评价 → 办结, from the proposals' present states."""
    by_status = {row["status"]: row["count"] for row in figures["status_funnel"]}

    def count(statuses) -> int:
        return sum(by_status.get(status, 0) for status in statuses)

    return [
        ("收到", sum(by_status.values())),
        ("立案", count(ACCEPTED_STATUSES)),
        ("交办", count(ASSIGNED_STATUSES)),
        ("已答复", count(("replied", "evaluated", "rehandling", "closed"))),
        ("已评价", count(("evaluated", "rehandling", "closed"))),
        ("办结", count(("closed",))),
    ]


def status_funnel(figures: dict) -> str:
    stages = funnel_stages(figures)
    chart = pygal.HorizontalBar(**_config(title="办理进度（件）", show_legend=False, print_values=True, height=300,
                                          **_room_for_labels(name for name, _ in stages)))
    chart.x_labels = [name for name, _ in reversed(stages)]
    chart.add("件数", [n for _, n in reversed(stages)])
    return _render(chart)


def _percent(value) -> float | None:
    return round(value * 100, 1) if value is not None else None


def all_charts(figures: dict, *, style_nonce: str = "") -> dict[str, str]:
    """The dashboard's charts as inline SVG; their <style> carries the page's CSP nonce."""
    charts = {
        "agencies": agency_bars(figures),
        "categories": category_pie(figures),
        "weekly": weekly_curve(figures),
        "funnel": status_funnel(figures),
    }
    if style_nonce:
        charts = {name: svg.replace("<style", f'<style nonce="{style_nonce}"') for name, svg in charts.items()}
    return charts
