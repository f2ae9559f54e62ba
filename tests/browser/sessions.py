"""What the browser tests do in the admin: sign people in (one password for every test account; a
page of a fresh browser context, its own cookies, already past the login form) and take a
workflow step from an object's page."""

from __future__ import annotations

PASSWORD = "browser-test-5h8q"
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def with_password(user, last_name: str = "", first_name: str = ""):
    """`user` with the test password and, when given, a real name (family name first on pages)."""
    user.set_password(PASSWORD)
    fields = ["password"]
    if last_name or first_name:
        user.last_name, user.first_name = last_name, first_name
        fields += ["last_name", "first_name"]
    user.save(update_fields=fields)
    return user


def log_in(browser, live_server, user, *, viewport=DESK, timeout_ms: int = 20_000):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.set_default_timeout(timeout_ms)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("[type=submit]")
    page.wait_for_selector("#user-tools")
    return page


def take_step(page, link: str, button: str, fill: dict[str, str] | None = None) -> None:
    """Open the step `link` on the object's page, fill its form, confirm; a refusal fails the test with its text."""
    page.get_by_role("link", name=link, exact=True).click()
    for selector, value in (fill or {}).items():
        if page.locator(selector).evaluate("element => element.tagName") == "SELECT":
            page.select_option(selector, value)
        else:
            page.fill(selector, value)
    page.get_by_role("button", name=button).click()
    page.wait_for_selector(".messagelist .success, .errorlist, .errornote")
    assert page.locator(".messagelist .success").count(), page.locator(".errorlist, .errornote").all_inner_texts()
