"""What every figure counts: one definition per key, read by every face (page, JSON, XLSX, CSV, docx).

An office that reports 满意率 must be able to say what it counted (docs/domain.md, what each figure counts); changing a
definition here changes it everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    label: str
    text: str  # numerator, denominator and what is excluded, in plain Chinese


_ANSWERING = "以主办、分办单位的每一项交办为一件(会办单位的一行以其会办交办计,答复指提交会办意见);已调整、已取消的交办不计"
_LATEST = "每位提出人以其最后一轮评价为准;联名提出人分别计"

DEFINITIONS: dict[str, Definition] = {
    "received": Definition("收到件数", "本范围内登记的提案/建议件数,含并案、不予立案、转参考、撤回及待审查件;按承办单位统计时为交办该单位的件数"),
    "pending_review": Definition("待审查件数", "尚未审查(状态为待审查)的件数"),
    "accepted": Definition("立案件数", "已立案的件数:状态为已立案、已交办、办理中、已答复、已评价、重新办理或已办结"),
    "accepted_rate": Definition("立案率", "立案件数 ÷ 已审查件数(收到件数减待审查件数);分母为0时不计算"),
    "not_accepted": Definition("不予立案件数", "经审查不予立案的件数,另按不予立案情形分列"),
    "merged": Definition("并案件数", "并入其他提案/建议办理的件数(被并入的件不计)"),
    "referred": Definition("转参考件数", "转有关方面参考的件数"),
    "withdrawn": Definition("撤回件数", "提出人撤回的件数"),
    "proposals_assigned": Definition("交办件数(按件)", "已交办的提案/建议件数:状态为已交办及其后各状态的件数,一件交多个单位只计一次"),
    "key_proposals": Definition("重点提案/建议件数", "标为重点提案/建议的件数,另按状态分列"),
    "rehandled": Definition("重新办理件数", "因提出人对办理结果不满意而重新办理过(办理轮次大于1)的件数;按承办单位统计时为该单位参与重新办理的交办数"),
    "assigned": Definition("交办数", _ANSWERING),
    "replied": Definition("办复数", "交办中已向提出人送达答复函的项数(任一轮次);会办单位为已提交会办意见的项数"),
    "replied_rate": Definition("办复率", "办复数 ÷ 交办数;分母为0时不计算"),
    "replied_with_due": Definition("有期限的办复数", "办复数中有答复期限记录的项数(导入的历史记录无期限,不计入按期办复率)"),
    "replied_on_time": Definition(
        "按期办复数",
        "第一轮答复函送达日期(北京时间)不晚于送达时有效的答复期限(经批准的延期计入)的项数;会办单位为会办意见提交日期不晚于会办期限的项数",
    ),
    "on_time_rate": Definition("按期办复率", "按期办复数 ÷ 有期限的办复数;分母为0时不计算"),
    "days_to_reply_avg": Definition("平均办复天数", "第一轮答复函送达日期减交办日期的自然日数的平均值,只计有交办日期的办复项"),
    "days_to_reply_max": Definition("最长办复天数", "同上,取最大值"),
    "met_in_person": Definition("见面数", "主办、分办单位在第一轮答复送达之日或之前与提出人当面沟通/座谈(已开展)的办复项数"),
    "met_in_person_rate": Definition("见面率", "见面数 ÷ 主办、分办单位的办复数;会办单位不计算"),
    "communicated": Definition("办前沟通数", "主办、分办单位在第一轮答复送达之日或之前以任何方式与提出人沟通(已开展)的办复项数"),
    "communicated_rate": Definition("办前沟通率", "办前沟通数 ÷ 主办、分办单位的办复数;会办单位不计算"),
    "extended": Definition("延期数", "答复期限经批准延期的交办项数"),
    "overdue": Definition("逾期未办数", "统计日尚未答复且已过答复期限的交办项数(含已签收、待签收、申请调整中)"),
    "overdue_1_7": Definition("逾期1-7天", "逾期未办中逾期1至7天的项数"),
    "overdue_8_30": Definition("逾期8-30天", "逾期未办中逾期8至30天的项数"),
    "overdue_over_30": Definition("逾期30天以上", "逾期未办中逾期超过30天的项数"),
    "due_within_7": Definition("7日内到期", "尚未答复、答复期限在统计日起7日内(含当日)的项数"),
    "provisional_open": Definition("期限暂定", "尚未答复、期限因当年节假日安排未录入而暂按周末推算的项数"),
    "ratings": Definition("评价人次", f"办理结果评价中表态(未表态除外)的人次;{_LATEST}"),
    "satisfied_attitude_rate": Definition(
        "办理态度满意率", f"办理态度评为满意或基本满意的人次 ÷ 办理态度表态人次(未表态不计);{_LATEST}"
    ),
    "fully_satisfied_attitude_rate": Definition("办理态度满意率(不含基本满意)", f"办理态度评为满意的人次 ÷ 办理态度表态人次;{_LATEST}"),
    "unsatisfied_attitude": Definition("办理态度不满意人次", f"办理态度评为不满意的人次;{_LATEST}"),
    "first_round_satisfied_attitude_rate": Definition(
        "办理态度初次满意率", "第一轮评价中办理态度满意或基本满意的人次 ÷ 第一轮办理态度表态人次"
    ),
    "satisfied_result_rate": Definition(
        "办理结果满意率", f"办理结果评为满意或基本满意的人次 ÷ 办理结果表态人次(未表态不计);{_LATEST}"
    ),
    "fully_satisfied_result_rate": Definition("办理结果满意率(不含基本满意)", f"办理结果评为满意的人次 ÷ 办理结果表态人次;{_LATEST}"),
    "unsatisfied_result": Definition("办理结果不满意人次", f"办理结果评为不满意的人次;{_LATEST}"),
    "first_round_satisfied_result_rate": Definition(
        "办理结果初次满意率", "第一轮评价中办理结果满意或基本满意的人次 ÷ 第一轮办理结果表态人次"
    ),
    "category_split": Definition(
        "答复类别", "主办、分办单位每项交办最后一轮已送达答复函的答复类别(本办启用的代码与名称),未选类别的计入“未分类”"
    ),
    "follow_up_open": Definition("跟踪办理中", "答复类别需跟踪办理(如B类)、已送达且尚未登记跟踪办理完成的答复函件数"),
    "score": Definition("考评得分", "按考评权重对各项比率加权平均后乘以100;某项比率无法计算时不计入,其权重从分母中扣除"),
}


def definitions_json() -> dict[str, dict[str, str]]:
    return {key: {"label": d.label, "definition": d.text} for key, d in DEFINITIONS.items()}


def label(key: str) -> str:
    return DEFINITIONS[key].label
