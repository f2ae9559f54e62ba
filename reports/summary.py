"""The headline of the figures in sentences, as the office's leadership reads them at any point of
the year: what was done, what is still pending, and on what basis each rate is taken.

A rate is never given alone: it says what it was counted over (立案率 of the items reviewed, 办复率
of the work assigned, satisfaction of the ratings given), and a figure with nothing to count yet
says so (尚无, 暂无评价) instead of a bare "—" or a 100% taken over a handful of items.
"""

from __future__ import annotations

import datetime as dt

from reports.tables import NOT_RATED, display
from tracker.docx_layout import chinese_date


def _pct(value) -> str:
    return display(value, "rate")


def _review(t: dict) -> str:
    received, pending = t["received"], t["pending_review"]
    reviewed = received - pending
    if received == 0:
        return "尚未收到提案/建议。"
    if reviewed == 0:
        return f"共收到提案/建议{received}件，均待审查，尚无立案结果。"
    outcome = "、".join(f"{label}{n}件" for label, n in (
        ("并案", t["merged"]), ("不予立案", t["not_accepted"]), ("转有关方面参考", t["referred"]),
        ("撤回", t["withdrawn"])) if n)
    pending_text = f"，尚有{pending}件待审查" if pending else "，已全部审查"
    return (f"共收到提案/建议{received}件，已审查{reviewed}件{pending_text}。已审查的{reviewed}件中，"
            f"立案{t['accepted']}件，立案率{_pct(t['accepted_rate'])}（立案件数÷已审查件数）"
            + (f"；{outcome}" if outcome else "") + "。")


def _assignment(t: dict, answering_agencies: int) -> str:
    waiting = t["accepted"] - t["proposals_assigned"]
    if t["proposals_assigned"] == 0:
        return f"已立案的{t['accepted']}件均待交办。" if t["accepted"] else ""
    waiting_text = f"，另有{waiting}件已立案待交办" if waiting > 0 else ""
    return (f"已交办{t['proposals_assigned']}件{waiting_text}，"
            f"交主办、分办单位{answering_agencies}个，共{t['assigned']}项交办。")


def _handling(t: dict, as_of: str) -> str:
    assigned, replied = t["assigned"], t["replied"]
    if assigned == 0:
        return ""
    open_items = assigned - replied
    overdue = f"其中已逾期{t['overdue']}项" if t["overdue"] else "均未逾期"
    if replied == 0:
        return (f"截至{as_of}，交办的{assigned}项尚无办复（{overdue}），"
                "办复率、按期办复率、见面率和办前沟通率暂不计算。")
    pending = f"，尚未办复{open_items}项（{overdue}）" if open_items else "，已全部办复"
    text = (f"截至{as_of}，已办复{replied}项{pending}；办复率{_pct(t['replied_rate'])}"
            f"（已办复项数÷交办项数，尚在办理期限内的未办复项同样计入分母）。")
    on_time = (f"有答复期限的{t['replied_with_due']}项办复中，按期办复{t['replied_on_time']}项，"
               f"按期办复率{_pct(t['on_time_rate'])}" if t["replied_with_due"] else "已办复项均无期限记录，不计按期办复率")
    return (text + on_time + f"；在已办复项中，见面率{_pct(t['met_in_person_rate'])}、"
            f"办前沟通率{_pct(t['communicated_rate'])}（均以主办、分办单位已办复的项数为分母）。")


def _satisfaction(t: dict) -> str:
    if not t["rated_attitude"] and not t["rated_result"]:
        why = "（已送达的答复尚无人表态）" if t["replied"] else "（尚无已送达的答复）"
        return f"委员/代表满意度测评：{NOT_RATED}{why}。"

    def side(name: str, label: str) -> str:
        rated = t[f"rated_{name}"]
        if not rated:
            return f"对{label}{NOT_RATED}"
        rate = _pct(t[f"satisfied_{name}_rate"])
        return f"对{label}表态{rated}人次，满意率（含基本满意）{rate}"

    return (f"委员/代表满意度测评（以已表态人次为分母，每位提出人以其最后一轮评价计，未表态及尚未评价的不计）：{side('attitude', '办理态度')}；"
            f"{side('result', '办理结果')}，不满意{t['unsatisfied_result']}人次；重新办理{t['rehandled']}件。")


def _results(figures: dict) -> str:
    split = figures["totals"]["category_split"]
    labels = {c["code"]: c["label"] for c in figures["reply_categories"]}
    split_text = "、".join(f"{code}类（{labels.get(code, code)}）{n}项" for code, n in sorted(split.items()))
    follow_up = len(figures["follow_up"])
    return (f"答复类别：{split_text or '尚无已送达的答复'}。"
            + (f"跟踪办理中的答复{follow_up}件。" if follow_up else ""))


def sentences(figures: dict, filters: str) -> list[str]:
    """The headline, one sentence (or two) per stage of the work, each saying what is still pending."""
    t = figures["totals"]
    as_of = chinese_date(dt.date.fromisoformat(figures["scope"]["as_of"]))
    answering = sum(1 for r in figures["agencies"] if r["role_code"] == "answering")
    parts = [f"{filters}" + _review(t), _assignment(t, answering), _handling(t, as_of)]
    parts.append(_satisfaction(t))
    if t["replied"]:
        parts.append(_results(figures))
    return [part for part in parts if part]


def summary(figures: dict, filters: str) -> str:
    return "".join(sentences(figures, filters))
