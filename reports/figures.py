"""The office figures (docs/domain.md, issue 11): counts and rates per meeting, year or term, and per
agency and role, category and kind, each with its one definition (reports.definitions).

`office_figures(scope)` runs a fixed number of aggregate queries (reports.selectors) and adds
the groups up in Python: counts are additive across categories and kinds, so the totals are the
sum of the category rows and cost no query of their own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from proposals.models import Proposal
from reports import selectors
from reports.definitions import definitions_json
from reports.ranking import rank_agencies
from reports.selectors import ANSWERING, ASSISTING, Scope

ACCEPTED_STATUSES = frozenset({
    Proposal.Status.ACCEPTED, Proposal.Status.ASSIGNED, Proposal.Status.IN_PROGRESS, Proposal.Status.REPLIED,
    Proposal.Status.EVALUATED, Proposal.Status.REHANDLING, Proposal.Status.CLOSED,
})
ASSIGNED_STATUSES = ACCEPTED_STATUSES - {Proposal.Status.ACCEPTED}
ROLE_LABELS = {ANSWERING: "主办/分办", ASSISTING: "会办"}
UNCATEGORISED = "未分类"
MOST_WEEKS = 156  # three years of weeks is plenty for a curve

PROPOSAL_COUNTS = ("received", "pending_review", "accepted", "not_accepted", "merged", "referred", "withdrawn",
                   "proposals_assigned", "key_proposals", "rehandled")
ASSIGNMENT_COUNTS = ("assigned", "replied", "replied_with_due", "replied_on_time", "days_counted", "answered",
                     "met_in_person", "communicated", "extended", "overdue_1_7", "overdue_8_30",
                     "overdue_over_30", "due_within_7", "provisional_open")
# Figures of the office's review that mean nothing for one agency's row.
PROPOSAL_ONLY = ("pending_review", "not_accepted", "merged", "referred", "withdrawn", "proposals_assigned",
                 "key_proposals", "rehandled")
RATING_COUNTS = tuple(
    f"{prefix}{side}_{name}" for prefix in ("", "first_") for side in ("attitude", "result")
    for name in ("satisfied", "basic", "unsatisfied")
)


def today() -> dt.date:
    return timezone.localdate()


def rate(numerator: int, denominator: int) -> float | None:
    """A fraction 0-1 to four places, or None when nothing was counted."""
    return round(numerator / denominator, 4) if denominator else None


# --- adding groups up ---------------------------------------------------------------------------


def _add(into: dict, row: dict, names: Iterable[str]) -> None:
    for name in names:
        into[name] = into.get(name, 0) + (row.get(name) or 0)


def _add_assignment(into: dict, row: dict) -> None:
    _add(into, row, ASSIGNMENT_COUNTS)
    days_total, days_max = row.get("days_total"), row.get("days_max")
    if days_total is not None:
        into["days_total"] = into.get("days_total", dt.timedelta()) + days_total
    if days_max is not None:
        into["days_max"] = max(into.get("days_max") or days_max, days_max)
    into["rehandled_assignments"] = into.get("rehandled_assignments", 0) + (row.get("rehandled") or 0)


def _proposal_counts(row: dict) -> dict:
    status, n = row["status"], row["n"]
    return {
        "received": n,
        "pending_review": n if status == Proposal.Status.SUBMITTED else 0,
        "accepted": n if status in ACCEPTED_STATUSES else 0,
        "not_accepted": n if status == Proposal.Status.NOT_ACCEPTED else 0,
        "merged": n if status == Proposal.Status.MERGED else 0,
        "referred": n if status == Proposal.Status.REFERRED else 0,
        "withdrawn": n if status == Proposal.Status.WITHDRAWN else 0,
        "proposals_assigned": n if status in ASSIGNED_STATUSES else 0,
        "key_proposals": n if row["is_key"] else 0,
        "rehandled": row["rehandled"],
    }


# --- rows ----------------------------------------------------------------------------------------


def _finish(counts: dict, split: dict, *, role: str = ANSWERING) -> dict:
    """Counts in, the published row out: every count with its rate beside it."""
    row = {name: counts.get(name, 0) for name in PROPOSAL_COUNTS + ASSIGNMENT_COUNTS + RATING_COUNTS}
    row["accepted_rate"] = rate(row["accepted"], row["received"] - row["pending_review"])
    row["replied_rate"] = rate(row["replied"], row["assigned"])
    row["on_time_rate"] = rate(row["replied_on_time"], row["replied_with_due"])
    days_total, days_max = counts.get("days_total"), counts.get("days_max")
    row["days_to_reply_avg"] = (
        round(days_total.days / row["days_counted"], 1) if days_total is not None and row["days_counted"] else None
    )
    row["days_to_reply_max"] = days_max.days if days_max is not None else None
    row["overdue"] = row["overdue_1_7"] + row["overdue_8_30"] + row["overdue_over_30"]
    answering = role == ANSWERING
    row["met_in_person_rate"] = rate(row["met_in_person"], row["answered"]) if answering else None
    row["communicated_rate"] = rate(row["communicated"], row["answered"]) if answering else None
    for side in ("attitude", "result"):
        sat, basic, unsat = (row[f"{side}_{n}"] for n in ("satisfied", "basic", "unsatisfied"))
        first = [row[f"first_{side}_{n}"] for n in ("satisfied", "basic", "unsatisfied")]
        row[f"rated_{side}"] = sat + basic + unsat
        row[f"satisfied_{side}_rate"] = rate(sat + basic, sat + basic + unsat) if answering else None
        row[f"fully_satisfied_{side}_rate"] = rate(sat, sat + basic + unsat) if answering else None
        row[f"unsatisfied_{side}"] = unsat
        row[f"first_round_satisfied_{side}_rate"] = rate(first[0] + first[1], sum(first)) if answering else None
    row["ratings"] = row["rated_result"]
    row["category_split"] = dict(split)
    return row


def _grouped_split(rows: list[dict], key) -> dict:
    splits: dict = defaultdict(lambda: defaultdict(int))
    for row in rows:
        splits[key(row)][row["category_code"] or UNCATEGORISED] += row["n"]
    return splits


def _by_category_and_kind(scope: Scope, proposal_rows: list[dict]) -> tuple[dict, dict]:
    """Counts keyed (category, kind, role group); reply categories keyed (category, kind)."""
    groups: dict = defaultdict(dict)
    for row in proposal_rows:
        _add(groups[(row["category"], row["kind"], ANSWERING)], _proposal_counts(row), PROPOSAL_COUNTS)
    for row in selectors.assignment_counts(scope, ("category", "kind", "role_group")):
        _add_assignment(groups[(row["category"], row["kind"], row["role_group"])], row)
    for row in selectors.feedback_counts(scope, ("category", "kind")):
        _add(groups[(row["category"], row["kind"], ANSWERING)], row, RATING_COUNTS)
    split = _grouped_split(selectors.latest_reply_categories(scope, ("category", "kind")),
                           lambda r: (r["proposal_category"], r["kind"]))
    return groups, split


def _reduce(groups: dict, split: dict, key, role: str = ANSWERING) -> dict:
    """Add (category, kind, role) groups up by `key` (None: everything) for one role group."""
    counts: dict = defaultdict(dict)
    splits: dict = defaultdict(lambda: defaultdict(int))
    for (category, kind, group_role), values in groups.items():
        if group_role != role:
            continue
        target = counts[key(category, kind)]
        _add(target, values, PROPOSAL_COUNTS + RATING_COUNTS)
        _add_assignment(target, {**values, "rehandled": values.get("rehandled_assignments", 0)})
    for (category, kind), by_code in split.items():
        for code, n in by_code.items():
            splits[key(category, kind)][code] += n
    return {group: _finish(values, splits.get(group, {}), role=role) for group, values in counts.items()}


def agency_rows(scope: Scope) -> list[dict]:
    """One row per agency and role group (主办/分办, 会办), by name."""
    assignment_rows = selectors.assignment_counts(scope, ("agency_id", "role_group"))
    rating_rows = selectors.feedback_counts(scope, ("agency_id", "role_group"))
    category_rows = selectors.latest_reply_categories(scope, ("agency_id", "role_group"))
    names = selectors.agency_names({row["agency_id"] for row in assignment_rows})
    return assemble_agency_rows(assignment_rows, rating_rows, category_rows, names)


def assemble_agency_rows(assignment_rows: list[dict], rating_rows: list[dict], category_rows: list[dict],
                         names: dict[int, str]) -> list[dict]:
    """Rows from grouped counts keyed (agency_id, role_group); shared with bench/stats.py's SQL baseline."""
    counts: dict = defaultdict(dict)
    for row in assignment_rows:
        _add_assignment(counts[(row["agency_id"], row["role_group"])], row)
    for row in rating_rows:
        if (row["agency_id"], ANSWERING) in counts:
            _add(counts[(row["agency_id"], ANSWERING)], row, RATING_COUNTS)
    splits = _grouped_split(category_rows, lambda r: (r["agency_id"], r["role_group"]))
    rows = []
    for (agency_id, role), values in counts.items():
        values["received"] = values["accepted"] = values["assigned"]
        row = _finish(values, splits.get((agency_id, role), {}), role=role)
        for name in PROPOSAL_ONLY:
            row.pop(name)
        row["rehandled"] = values.get("rehandled_assignments", 0)
        rows.append({"agency": names[agency_id], "agency_id": agency_id, "role": ROLE_LABELS[role],
                     "role_code": role, **row})
    return sorted(rows, key=lambda r: (r["role_code"] != ANSWERING, r["agency"]))


def office_figures(scope: Scope) -> dict:
    """Everything the dashboard, the exports, the JSON and the year-end report show."""
    proposal_rows = selectors.proposal_counts(scope)
    groups, split = _by_category_and_kind(scope, proposal_rows)
    totals = _reduce(groups, split, lambda c, k: None).get(None) or _finish({}, {})
    assisting = _reduce(groups, split, lambda c, k: None, role=ASSISTING).get(None) or _finish({}, {}, role=ASSISTING)
    category_labels = dict(Proposal.Category.choices)
    kind_labels = dict(Proposal.Kind.choices)
    categories = _reduce(groups, split, lambda c, k: c)
    kinds = _reduce(groups, split, lambda c, k: k)
    agencies = agency_rows(scope)
    weights = selectors.score_weights()
    return {
        "scope": scope_json(scope),
        "definitions": definitions_json(),
        "totals": totals,
        "assisting_totals": _assisting_only(assisting),
        "agencies": agencies,
        "weights": weights,
        "ranking": rank_agencies(agencies, weights),
        "categories": [{"category": str(category_labels.get(c, c)), "category_code": c, **row}
                       for c, row in sorted(categories.items())],
        "kinds": [{"kind": str(kind_labels.get(k, k)), "kind_code": k, **row} for k, row in sorted(kinds.items())],
        **_status_figures(scope, proposal_rows),
        "reply_categories": [{"code": c.code, "label": c.label, "active": c.active, "needs_follow_up": c.needs_follow_up}
                             for c in selectors.reply_categories()],
        "follow_up": follow_up_rows(scope),
        "weekly": weekly_rows(scope),
    }


def _assisting_only(row: dict) -> dict:
    keys = ("assigned", "replied", "replied_rate", "replied_with_due", "replied_on_time", "on_time_rate",
            "days_to_reply_avg", "days_to_reply_max", "extended", "overdue", "overdue_1_7", "overdue_8_30",
            "overdue_over_30", "due_within_7", "provisional_open")
    return {key: row[key] for key in keys}


def _status_figures(scope: Scope, proposal_rows: list[dict]) -> dict:
    by_status: dict = defaultdict(int)
    key_by_status: dict = defaultdict(int)
    for row in proposal_rows:
        by_status[row["status"]] += row["n"]
        if row["is_key"]:
            key_by_status[row["status"]] += row["n"]
    grounds: dict = defaultdict(int)
    for row in selectors.not_accepted_by_ground(scope):
        grounds[row["not_accept_ground__text"] or "未注明"] += row["n"]
    return {
        "status_funnel": [{"status": value, "label": str(label), "count": by_status.get(value, 0)}
                          for value, label in Proposal.Status.choices],
        "key_proposals": {str(label): key_by_status[value] for value, label in Proposal.Status.choices
                          if key_by_status.get(value)},
        "not_accepted_by_ground": dict(grounds),
    }


def follow_up_rows(scope: Scope) -> list[dict]:
    return [
        {
            "meeting": reply.assignment.proposal.meeting.name,
            "number": reply.assignment.proposal.number,
            "title": reply.assignment.proposal.title,
            "agency": reply.assignment.agency.name,
            "category": reply.category,
            "document_number": reply.document_number,
            "sent_on": timezone.localtime(reply.sent_at).date().isoformat() if reply.sent_at else None,
        }
        for reply in selectors.follow_up_open(scope)
    ]


def weekly_rows(scope: Scope) -> list[dict]:
    """Replies sent per week beside the assignments falling due that week (the deadline curve)."""
    weeks: dict = defaultdict(lambda: {"replied": 0, "due": 0})
    for row in selectors.replies_by_week(scope):
        if row["week"] is not None:
            weeks[_as_date(row["week"])]["replied"] += row["n"]
    for row in selectors.due_by_week(scope):
        weeks[_as_date(row["week"])]["due"] += row["n"]
    if weeks:  # every week from the first to the last, so the curve's spacing is true to time
        first, last = min(weeks), max(weeks)
        for offset in range(min((last - first).days // 7, MOST_WEEKS) + 1):
            weeks[first + dt.timedelta(weeks=offset)]  # noqa: B018  (defaultdict: adds an empty week)
    return [{"week": week.isoformat(), **counts} for week, counts in sorted(weeks.items())]


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def scope_json(scope: Scope) -> dict:
    return {
        "as_of": scope.as_of.isoformat(), "meeting": scope.meeting_id, "year": scope.year, "term": scope.term,
        "kind": scope.kind, "category": scope.category, "agency": scope.agency_id,
    }
