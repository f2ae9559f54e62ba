"""Agency ranking (考评): the score from the office's weights, the rank and the figures behind it."""

import pytest

from reports.figures import office_figures
from reports.models import ScoreWeights
from reports.ranking import rank_agencies, score
from reports.selectors import Scope

pytestmark = pytest.mark.django_db


def ranking_of(counted):
    return office_figures(Scope(as_of=counted.today, meeting_id=counted.meeting.pk))["ranking"]


def test_default_weights_rank_by_hand_counted_score(counted):
    ranking = ranking_of(counted)
    assert [(r["rank"], r["agency"], r["score"]) for r in ranking] == [
        (1, "广州市科学技术局", 77.5),  # 20×1 + 30×0.5 + 15×0.5 + 25×1 + 10×1
        (2, "广州市教育局", 71.67),  # 20×0.3333 + 30×1 + 15×0 + 25×1 + 10×1
    ]
    assert ranking[1]["on_time_rate"] == 1.0 and ranking[1]["assigned"] == 3


def test_the_offices_own_weights_change_the_order(counted):
    ScoreWeights.objects.create(replied_rate=0, on_time_rate=100, met_in_person_rate=0, satisfied_result_rate=0,
                                satisfied_attitude_rate=0)
    assert [(r["rank"], r["agency"], r["score"]) for r in ranking_of(counted)] == [
        (1, "广州市教育局", 100.0), (2, "广州市科学技术局", 50.0)]


def test_a_rate_that_cannot_be_computed_leaves_the_score_and_its_weight_out():
    weights = {"on_time_rate": 30, "satisfied_result_rate": 70}
    assert score({"on_time_rate": 0.5, "satisfied_result_rate": None}, weights) == 50.0
    assert score({"on_time_rate": None, "satisfied_result_rate": None}, weights) is None
    rows = [{"agency": name, "agency_id": i, "role_code": "answering", "on_time_rate": rate,
             "satisfied_result_rate": None, "assigned": 1} for i, (name, rate) in enumerate(
        [("甲局", 0.5), ("乙局", 0.5), ("丙局", None), ("丁局", 0.2)])]
    assert [(r["agency"], r["rank"]) for r in rank_agencies(rows, weights)] == [
        ("乙局", 1), ("甲局", 1), ("丁局", 3), ("丙局", None)]
