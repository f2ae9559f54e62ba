"""The office figures of a meeting counted by hand (tests/reports/builders.py has the table)."""

import datetime as dt

import pytest

from proposals.models import Assignment
from reports.definitions import DEFINITIONS
from reports.figures import office_figures
from reports.selectors import Scope

pytestmark = pytest.mark.django_db


def figures_of(counted, **filters):
    return office_figures(Scope(as_of=counted.today, meeting_id=counted.meeting.pk, **filters))


def agency_row(figures, agency, role="answering"):
    (row,) = [r for r in figures["agencies"] if r["agency_id"] == agency.pk and r["role_code"] == role]
    return row


def test_review_figures_count_every_proposal_received(counted):
    totals = figures_of(counted)["totals"]
    assert totals["received"] == 8
    assert totals["pending_review"] == 1
    assert totals["accepted"] == 4  # P1, P2, P3, P7
    assert totals["accepted_rate"] == round(4 / 7, 4)  # reviewed: 8 received less 1 waiting
    assert (totals["not_accepted"], totals["merged"], totals["referred"], totals["withdrawn"]) == (1, 1, 1, 0)
    assert totals["proposals_assigned"] == 4
    assert totals["key_proposals"] == 1
    assert totals["rehandled"] == 1


def test_reply_figures_count_lead_and_joint_assignments(counted):
    totals = figures_of(counted)["totals"]
    assert totals["assigned"] == 5  # P1 SCI, P2 EDU, P3 SCI + EDU, P7 EDU
    assert totals["replied"] == 3
    assert totals["replied_rate"] == 0.6
    assert totals["replied_on_time"] == 2  # P1 and P2 (by its extension); P3 late
    assert totals["on_time_rate"] == round(2 / 3, 4)
    assert totals["days_to_reply_avg"] == round((10 + 100 + 200) / 3, 1)
    assert totals["days_to_reply_max"] == 200
    assert totals["extended"] == 1


def test_met_in_person_counts_only_face_to_face_contacts_before_the_reply(counted):
    totals = figures_of(counted)["totals"]
    assert (totals["met_in_person"], totals["met_in_person_rate"]) == (1, round(1 / 3, 4))
    assert (totals["communicated"], totals["communicated_rate"]) == (3, 1.0)


def test_satisfaction_takes_each_proposers_latest_rating_and_the_first_round_apart(counted):
    totals = figures_of(counted)["totals"]
    # attitude, latest: m1 满意 (round 2), m2 基本满意, m3 未表态 (not counted)
    assert totals["rated_attitude"] == 2
    assert totals["satisfied_attitude_rate"] == 1.0
    assert totals["fully_satisfied_attitude_rate"] == 0.5
    assert totals["unsatisfied_attitude"] == 0
    assert totals["first_round_satisfied_attitude_rate"] == 1.0
    # result, latest: m1 满意 (round 2; 不满意 in round 1), m2 基本满意, m3 满意
    assert totals["rated_result"] == 3
    assert totals["satisfied_result_rate"] == 1.0
    assert totals["fully_satisfied_result_rate"] == round(2 / 3, 4)
    assert totals["unsatisfied_result"] == 0
    assert totals["first_round_satisfied_result_rate"] == round(2 / 3, 4)


def test_category_split_takes_each_assignments_latest_letter(counted):
    figures = figures_of(counted)
    assert figures["totals"]["category_split"] == {"A": 1, "B": 1, "C": 1}
    assert [(row["number"], row["category"], row["agency"]) for row in figures["follow_up"]] == [
        ("2", "B", "广州市教育局")
    ]


def test_open_work_by_days_late(counted):
    totals = figures_of(counted)["totals"]
    p7_lead = counted.proposals[7].assignments.get()
    assert counted.today <= p7_lead.due_on <= counted.today + dt.timedelta(days=7)
    assert (totals["overdue_1_7"], totals["overdue_8_30"], totals["overdue_over_30"]) == (0, 0, 1)  # P3 EDU
    assert totals["overdue"] == 1
    assert totals["due_within_7"] == 1  # P7
    open_provisional = Assignment.objects.filter(
        proposal__meeting=counted.meeting, state__in=Assignment.OPEN_STATES, due_provisional=True
    ).exclude(role="assisting").count()
    assert totals["provisional_open"] == open_provisional


def test_agency_rows_split_lead_and_joint_work_from_assisting(counted):
    figures = figures_of(counted)
    science = agency_row(figures, counted.science)
    assert (science["role"], science["assigned"], science["replied"], science["replied_on_time"]) == ("主办/分办", 2, 2, 1)
    assert (science["on_time_rate"], science["met_in_person_rate"]) == (0.5, 0.5)
    assert (science["satisfied_result_rate"], science["first_round_satisfied_result_rate"]) == (1.0, 0.0)
    assert science["category_split"] == {"A": 1, "C": 1}
    assert science["rehandled"] == 1
    education = agency_row(figures, counted.education)
    assert (education["assigned"], education["replied"], education["replied_rate"]) == (3, 1, round(1 / 3, 4))
    assert (education["on_time_rate"], education["extended"], education["overdue"], education["due_within_7"]) == (
        1.0, 1, 1, 1)
    assert (education["satisfied_attitude_rate"], education["fully_satisfied_result_rate"]) == (1.0, 0.5)
    assert education["met_in_person_rate"] == 0.0
    environment = agency_row(figures, counted.environment, "assisting")
    assert (environment["role"], environment["assigned"], environment["replied"]) == ("会办", 2, 1)
    assert (environment["replied_on_time"], environment["overdue_over_30"]) == (1, 1)
    assert environment["satisfied_result_rate"] is None and environment["met_in_person_rate"] is None
    assert len(figures["agencies"]) == 3


def test_lead_and_joint_rows_add_up_to_the_totals(counted):
    figures = figures_of(counted)
    answering = [r for r in figures["agencies"] if r["role_code"] == "answering"]
    for key in ("assigned", "replied", "replied_on_time", "met_in_person", "overdue", "extended"):
        assert sum(r[key] for r in answering) == figures["totals"][key], key
    assert figures["assisting_totals"]["assigned"] == 2


def test_categories_and_kinds(counted):
    figures = figures_of(counted)
    science = next(r for r in figures["categories"] if r["category_code"] == "science")
    assert (science["category"], science["received"], science["assigned"], science["replied"]) == ("科技", 2, 3, 2)  # P1 SCI, P3 SCI + EDU
    suggestion = next(r for r in figures["kinds"] if r["kind_code"] == "suggestion")
    assert (suggestion["kind"], suggestion["received"], suggestion["replied_on_time"]) == ("建议", 1, 0)


def test_status_funnel_key_proposals_and_grounds(counted):
    figures = figures_of(counted)
    funnel = {row["status"]: row["count"] for row in figures["status_funnel"]}
    assert funnel["evaluated"] == 2 and funnel["in_progress"] == 1 and funnel["assigned"] == 1
    assert figures["key_proposals"] == {"已评价": 1}
    assert figures["not_accepted_by_ground"] == {"内容空泛、没有具体建议的": 1}


def test_filters_narrow_the_figures(counted):
    by_category = figures_of(counted, category="education")["totals"]
    assert (by_category["received"], by_category["assigned"]) == (2, 2)
    only_science = figures_of(counted, agency_id=counted.science.pk)
    assert [r["agency"] for r in only_science["agencies"]] == ["广州市科学技术局"]
    assert only_science["totals"]["assigned"] == 2
    assert only_science["totals"]["received"] == 2  # P1 and P3, the proposals it handles
    whole_year = office_figures(Scope(as_of=counted.today, year=counted.today.year))["totals"]
    assert whole_year["received"] == 9  # with the other meeting's proposal


def test_every_figure_has_a_definition_in_chinese(counted):
    figures = figures_of(counted)
    keys = {"received", "accepted", "accepted_rate", "assigned", "replied", "replied_rate", "replied_on_time",
            "on_time_rate", "met_in_person_rate", "satisfied_attitude_rate", "satisfied_result_rate",
            "category_split", "overdue"}
    assert keys <= set(figures["totals"]) and keys <= set(figures["agencies"][0])
    assert keys <= set(figures["definitions"])
    for key, definition in figures["definitions"].items():
        assert definition == {"label": DEFINITIONS[key].label, "definition": DEFINITIONS[key].text}
        assert any("\u4e00" <= ch <= "\u9fff" for ch in definition["definition"]), key
    assert "未表态不计" in figures["definitions"]["satisfied_result_rate"]["definition"]


def test_figures_cost_a_fixed_number_of_queries(counted, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        office_figures(Scope(as_of=counted.today, meeting_id=counted.meeting.pk))
