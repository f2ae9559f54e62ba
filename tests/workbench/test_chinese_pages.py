"""Chinese throughout for people (issue 13, item 6): error pages, list titles, the site link."""

import pytest
from django.urls import reverse

from tests.factories import MemberFactory, assigned_proposal

pytestmark = pytest.mark.django_db


def test_a_page_the_user_may_not_open_answers_in_chinese(client, agency_staff):
    client.force_login(agency_staff)
    response = client.get(reverse("admin:proposals_ruleset_changelist"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode() and "Forbidden" not in response.content.decode()


def test_a_missing_page_answers_in_chinese(client, clerk):
    client.force_login(clerk)
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "找不到该页面" in response.content.decode()


def test_the_assignment_list_is_titled_by_its_name_not_select_to_change(client, clerk, agency):
    assigned_proposal(by=clerk, lead=agency)
    client.force_login(clerk)
    page = client.get(reverse("admin:proposals_assignment_changelist")).content.decode()
    assert "<h1>交办</h1>" in page and "选择" not in page.split("<h1>")[1][:20]


def test_view_site_opens_the_public_pages(client, clerk):
    client.force_login(clerk)
    assert 'href="/public/replies/"' in client.get(reverse("admin:index")).content.decode()


def test_member_contacts_are_not_on_a_page_the_public_reads(client, clerk, agency):
    MemberFactory(name="张建山", phone="13800138000")
    assert "13800138000" not in client.get("/public/replies/").content.decode()


def test_the_header_greets_by_real_name(client, agency_staff):
    agency_staff.last_name, agency_staff.first_name = "陈", "晓"
    agency_staff.save(update_fields=["last_name", "first_name"])
    client.force_login(agency_staff)
    assert "欢迎，<strong>陈晓</strong>" in client.get(reverse("admin:index")).content.decode()


def test_list_filters_read_as_office_chinese(client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("admin:proposals_assignment_changelist")).content.decode()
    assert "按状态" in page and "以 状态" not in page


def test_a_server_error_page_reads_in_chinese():
    from django.views import defaults

    from django.test import RequestFactory

    response = defaults.server_error(RequestFactory().get("/admin/"))
    assert response.status_code == 500 and "系统暂时出错" in response.content.decode()


def test_an_expired_form_says_so_in_chinese():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


def test_an_app_pages_table_headers_read_to_screen_readers_are_chinese(client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("admin:app_list", args=["proposals"])).content.decode()
    assert "Model name" not in page and "Change or view list link" not in page
    assert "项目名称" in page and "修改或查看列表链接" in page
