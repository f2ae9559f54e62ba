"""The Content-Security-Policy breaks nothing: the admin (lists, forms with their widgets, a
workflow step), the public pages and the API docs (Swagger UI from the sidecar) load in headless
Chromium without a single CSP violation, and still work."""

from __future__ import annotations

import pytest

from tests.factories import accepted_proposal, assigned_proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Csp-check-密码-2026"
LAPTOP = {"width": 1366, "height": 768}
# Collects what the browser blocked; an init script is not itself subject to the page's policy.
WATCH_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @' + e.sourceFile + ':' + e.lineNumber));
"""


def new_page(browser, **options):
    context = browser.new_context(locale="zh-CN", viewport=LAPTOP, **options)
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__csp")


def test_admin_pages_work_under_the_policy(browser, live_server, clerk, tmp_path):
    clerk.set_password(PASSWORD)
    clerk.save(update_fields=["password"])
    accepted = accepted_proposal(by=clerk)
    assigned_proposal(by=clerk)
    page = new_page(browser)
    page.goto(f"{live_server.url}/admin/login/")
    assert violations(page) == []
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")
    assert violations(page) == []

    for path in ["/admin/", "/admin/proposals/proposal/", "/admin/proposals/proposal/add/",
                 f"/admin/proposals/proposal/{accepted.pk}/change/",
                 f"/admin/proposals/proposal/{accepted.pk}/step/assign/", "/admin/axes/accessattempt/",
                 "/admin/reports/dashboard/", "/admin/no-such-page/"]:
        page.goto(live_server.url + path)
        assert violations(page) == [], path

    # The add form's JavaScript runs: the inline's "add another" row and the autocomplete widget.
    page.goto(f"{live_server.url}/admin/proposals/proposal/add/")
    page.wait_for_selector(".select2-container")
    page.locator(".add-row a").first.click()
    assert page.locator("#proposers-group tr.form-row.dynamic-proposers").count() >= 2
    page.screenshot(path=str(tmp_path / "admin-add.png"))
    assert violations(page) == []


def test_public_pages_and_api_docs_work_under_the_policy(browser, live_server, tmp_path):
    page = new_page(browser)
    page.goto(f"{live_server.url}/public/replies/")
    # The page's own stylesheet applied (its nonce matched): the header bar is the site's red.
    assert page.eval_on_selector("header.site", "e => getComputedStyle(e).backgroundColor") == "rgb(181, 18, 27)"
    assert violations(page) == []

    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)  # the operations, rendered by its script
    page.screenshot(path=str(tmp_path / "api-docs.png"))
    assert page.locator(".swagger-ui .opblock").count() >= 10
    assert violations(page) == []
