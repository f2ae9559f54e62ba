"""Errors are JSON {code, detail, fields?}, with `detail` in Chinese or English after Accept-Language."""

from __future__ import annotations

import pytest

from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "detail"), [
    ("zh-hans", "未提供身份认证信息，请先获取令牌"),
    ("en", "Authentication credentials were not provided."),
    ("en-US,en;q=0.9", "Authentication credentials were not provided."),
    (None, "未提供身份认证信息，请先获取令牌"),  # the office's language by default
])
def test_401_in_the_callers_language(language, detail):
    response = client_for(language=language).get("/api/v1/proposals/")
    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "detail": detail}


@pytest.mark.parametrize(("language", "detail"), [("zh-hans", "未找到该对象"), ("en", "Not found.")])
def test_404_in_the_callers_language(member_user, language, detail):
    response = client_for(member_user, language).get("/api/v1/proposals/987654321/")
    assert response.json() == {"code": "not_found", "detail": detail}


def test_field_errors_in_both_languages(api, member_user, sent_reply, proposal):
    url = f"/api/v1/proposals/{proposal.pk}/feedback/"
    zh = client_for(member_user, "zh-hans").post(url, {"attitude": "x", "result": "satisfied"}, format="json").json()
    en = client_for(member_user, "en").post(url, {"attitude": "x", "result": "satisfied"}, format="json").json()
    assert zh["code"] == en["code"] == "invalid"
    assert zh["detail"] == "提交的内容有误，请按字段提示修改" and en["detail"] == "Invalid input; see the field errors."
    assert en["fields"]["attitude"] == ['"x" is not a valid choice.']
    assert "不是合法选项" in zh["fields"]["attitude"][0] or "有效" in zh["fields"]["attitude"][0]


def test_workflow_refusals_in_both_languages(member_user, assignment, proposal):
    url = f"/api/v1/proposals/{proposal.pk}/feedback/"
    body = {"attitude": "satisfied", "result": "satisfied"}
    zh = client_for(member_user, "zh-hans").post(url, body, format="json")
    en = client_for(member_user, "en").post(url, body, format="json")
    assert zh.status_code == en.status_code == 409
    assert zh.json()["code"] == en.json()["code"] == "feedback_not_open"
    assert "本轮答复送达后方可评价" in zh.json()["detail"]
    assert en.json()["detail"].startswith("Ratings open once every reply")


def test_an_unknown_api_path_answers_json_404():
    response = client_for(language="en").get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json() == {"code": "not_found", "detail": "Not found."}
    assert client_for().get("/api/v1/proposals/abc/").json()["code"] == "not_found"


def test_a_wrong_method_answers_405(api):
    response = api.delete("/api/v1/proposals/")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_chinese_is_sent_as_utf8_not_escaped(api, proposal):
    response = api.get("/api/v1/proposals/")
    assert response["Content-Type"] == "application/json"
    assert "人工智能".encode() in response.content and b"\\u" not in response.content
