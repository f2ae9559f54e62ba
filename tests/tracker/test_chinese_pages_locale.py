"""Pages speak Chinese to a browser that asks for English; the API still answers in English."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_is_chinese_for_an_english_browser(client, clerk):
    client.force_login(clerk)

    page = client.get(reverse("admin:password_change"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert "修改密码" in page and "Password change" not in page


def test_the_api_still_answers_in_the_language_asked_for(client):
    response = client.get("/api/v1/proposals/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code in (401, 403)
    assert response.json()["detail"].isascii()
