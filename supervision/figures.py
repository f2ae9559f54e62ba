"""The key proposals' own figures for the dashboard and the year-end report: how many, their
themes, the activities held, replies on time, the A/B/C/D split and satisfaction. Five queries
whatever the size of the year; each figure says what it counts (see DEFINITIONS)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from proposals.models import Assignment
from replies.models import Feedback, Rating, Reply
from reports.selectors import Scope, proposals_in
from supervision.models import Activity, KeyProposal

ANSWERING = (Assignment.Role.LEAD, Assignment.Role.JOINT)

DEFINITIONS = {
    "on_time": "按期答复：重点提案主办、分办单位首轮答复函的送达日不晚于当时的答复期限（含已批准的延期）的项数÷已送达的首轮答复项数",
    "satisfied": "满意率：重点提案提出人对办理结果评价为满意或基本满意的人次÷已表态人次（未表态不计）",
}


@dataclass
class KeyFigures:
    proposals: int = 0
    topics: list[str] = field(default_factory=list)
    activities: dict[str, int] = field(default_factory=dict)  # 形式 → 次数
    replied: int = 0
    replied_on_time: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    rated: int = 0
    satisfied: int = 0

    @property
    def activities_total(self) -> int:
        return sum(self.activities.values())

    @staticmethod
    def _rate(numerator: int, denominator: int) -> str:
        return f"{numerator * 100 / denominator:.1f}%" if denominator else "—"

    @property
    def on_time_rate(self) -> str:
        return self._rate(self.replied_on_time, self.replied)

    @property
    def satisfied_rate(self) -> str:
        return self._rate(self.satisfied, self.rated) if self.rated else "暂无评价"

    def sentences(self) -> list[str]:
        if not self.proposals:
            return ["本范围内尚未确定重点提案/建议。"]
        held = "、".join(f"{kind}{n}次" for kind, n in self.activities.items() if n)
        split = "、".join(f"{code}类{n}项" for code, n in sorted(self.categories.items()))
        return [
            f"确定重点提案/建议{self.proposals}件，分为{len(self.topics)}个专题：{'；'.join(self.topics)}。",
            f"开展督办活动{self.activities_total}次" + (f"（{held}）" if held else "") + "。",
            (f"已送达首轮答复{self.replied}项，按期答复{self.replied_on_time}项，按期答复率{self.on_time_rate}"
             + (f"；答复类别：{split}" if split else "") + "。") if self.replied else "重点提案尚无已送达的答复。",
            f"提出人对办理结果表态{self.rated}人次，满意率（含基本满意）{self.satisfied_rate}。",
        ]


def key_figures(scope: Scope) -> KeyFigures:
    keys = KeyProposal.objects.filter(state=KeyProposal.State.SELECTED, proposal__in=proposals_in(scope))
    rows = list(keys.values("proposal_id", "topic_id", "topic__title"))
    figures = KeyFigures(proposals=len(rows))
    if not rows:
        return figures
    proposal_ids = [row["proposal_id"] for row in rows]
    figures.topics = sorted({row["topic__title"] for row in rows})
    by_kind = dict(Activity.objects.filter(topic_id__in={row["topic_id"] for row in rows}).order_by()
                   .values_list("kind").annotate(n=Count("pk")))
    figures.activities = {label: by_kind.get(code, 0) for code, label in Activity.Kind.choices}
    replies = (Reply.objects.filter(state=Reply.State.SENT, round=1, assignment__proposal_id__in=proposal_ids,
                                    assignment__role__in=ANSWERING)
               .annotate(sent_on=TruncDate("sent_at")).values("category", "sent_on", "due_on"))
    for reply in replies:
        figures.replied += 1
        figures.replied_on_time += bool(reply["due_on"] and reply["sent_on"] <= reply["due_on"])
        if reply["category"]:
            figures.categories[reply["category"]] = figures.categories.get(reply["category"], 0) + 1
    ratings = Feedback.objects.filter(proposal_id__in=proposal_ids).exclude(result=Rating.NO_OPINION).aggregate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(result__in=[Rating.SATISFIED, Rating.BASICALLY_SATISFIED])))
    figures.rated, figures.satisfied = ratings["rated"], ratings["satisfied"]
    return figures
