"""The figures as tables: one list of columns per table, read by the page, XLSX, CSV and .docx
alike, so every face shows the same columns under the same Chinese headings."""

from __future__ import annotations

from dataclasses import dataclass

from reports.definitions import DEFINITIONS


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    kind: str = "count"  # count | rate | text | days

    @property
    def definition(self) -> str:
        return DEFINITIONS[self.key].text if self.key in DEFINITIONS else ""


def _figure(key: str) -> Column:
    kind = "rate" if key.endswith("_rate") else "days" if key.startswith("days_") else "count"
    return Column(key, DEFINITIONS[key].label, kind)


REVIEW = ["received", "pending_review", "accepted", "accepted_rate", "not_accepted", "merged", "referred", "withdrawn",
          "proposals_assigned", "key_proposals", "rehandled"]
HANDLING = ["assigned", "replied", "replied_rate", "replied_on_time", "on_time_rate", "days_to_reply_avg",
            "days_to_reply_max", "met_in_person_rate", "communicated_rate", "extended", "overdue", "overdue_1_7",
            "overdue_8_30", "overdue_over_30", "due_within_7", "provisional_open"]
SATISFACTION = ["satisfied_attitude_rate", "fully_satisfied_attitude_rate", "first_round_satisfied_attitude_rate",
                "unsatisfied_attitude", "satisfied_result_rate", "fully_satisfied_result_rate",
                "first_round_satisfied_result_rate", "unsatisfied_result"]
AGENCY = ["assigned", "replied", "replied_rate", "replied_on_time", "on_time_rate", "days_to_reply_avg",
          "met_in_person_rate", "communicated_rate", "satisfied_attitude_rate", "satisfied_result_rate",
          "unsatisfied_result", "extended", "overdue", "due_within_7", "rehandled"]
GROUP = ["received", "accepted", "assigned", "replied", "replied_rate", "replied_on_time", "on_time_rate",
         "met_in_person_rate", "satisfied_result_rate", "overdue"]


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    columns: tuple[Column, ...]
    category_columns: bool = False  # one column per reply category code after the figures


TABLES = {
    "totals": Table("totals", "总体情况", (Column("scope", "范围", "text"), *map(_figure, REVIEW + HANDLING + SATISFACTION)),
                    category_columns=True),
    "agencies": Table("agencies", "承办单位办理情况",
                      (Column("agency", "承办单位", "text"), Column("role", "承办方式", "text"), *map(_figure, AGENCY)),
                      category_columns=True),
    "categories": Table("categories", "按类别统计", (Column("category", "类别", "text"), *map(_figure, GROUP)),
                        category_columns=True),
    "kinds": Table("kinds", "按类型统计", (Column("kind", "类型", "text"), *map(_figure, GROUP)), category_columns=True),
    "follow_up": Table("follow_up", "跟踪办理中的答复(B类等)", (
        Column("meeting", "会议", "text"), Column("number", "编号", "text"), Column("title", "案由", "text"),
        Column("agency", "承办单位", "text"), Column("category", "答复类别", "text"),
        Column("document_number", "文号", "text"), Column("sent_on", "答复日期", "text"))),
    "status": Table("status", "办理状态", (Column("label", "状态", "text"), Column("count", "件数"))),
    "key": Table("key", "重点提案/建议办理状态", (Column("label", "状态", "text"), Column("count", "件数"))),
    "grounds": Table("grounds", "不予立案情形", (Column("label", "不予立案情形", "text"), Column("count", "件数"))),
    "ranking": Table("ranking", "承办单位考评排名", (
        Column("rank", "名次"), Column("agency", "承办单位", "text"), Column("score", "考评得分", "days"),
        *map(_figure, ["replied_rate", "on_time_rate", "met_in_person_rate", "satisfied_result_rate",
                       "satisfied_attitude_rate", "assigned"]))),
}


def rows_of(figures: dict, slug: str) -> list[dict]:
    """The rows a table shows, with each reply category's count as `cat_<code>`."""
    if slug == "totals":
        rows = [{"scope": "合计(主办、分办)", **figures["totals"]}]
    elif slug == "status":
        rows = figures["status_funnel"]
    elif slug in ("key", "grounds"):
        counts = figures["key_proposals" if slug == "key" else "not_accepted_by_ground"]
        rows = [{"label": label, "count": n} for label, n in counts.items()]
    else:
        rows = figures.get(slug, [])
    if TABLES[slug].category_columns:
        rows = [{**row, **{f"cat_{code}": n for code, n in row.get("category_split", {}).items()}} for row in rows]
    return rows


def columns_of(figures: dict, slug: str) -> list[Column]:
    table = TABLES[slug]
    columns = list(table.columns)
    if table.category_columns:
        columns += [Column(f"cat_{c['code']}", f"{c['code']}类({c['label']})") for c in figures["reply_categories"]
                    if c["active"]]
    return columns


NOT_RATED = "暂无评价"


def cell_text(row: dict, column: Column) -> str:
    """A row's figure as printed; a satisfaction rate with nobody rated yet reads 暂无评价, not "—"."""
    value = row.get(column.key, 0 if column.key.startswith("cat_") else None)
    if value is None and _nobody_rated(row, column.key):
        return NOT_RATED
    return display(value, column.kind)


def _nobody_rated(row: dict, key: str) -> bool:
    if "satisfied_" not in key or not key.endswith("_rate") or row.get("role_code", "answering") != "answering":
        return False
    side = "attitude" if "attitude" in key else "result"
    return not row.get(f"rated_{side}")


def display(value, kind: str) -> str:
    """A value as the page and the CSV print it: rates as percentages, missing as "—"."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if kind == "rate":
        return f"{value * 100:.1f}%"
    return str(value)
