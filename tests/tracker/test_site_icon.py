"""Every kind of page names the site's icon, and /favicon.ico leads to it instead of a 404."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/admin/login/", "/my/login/", "/public/replies/", "/no-such-page/"]


@pytest.mark.parametrize("path", PAGES)
def test_page_names_the_site_icon(client, path):
    page = client.get(path)
    assert page.status_code in (200, 404)
    assert 'rel="icon"' in page.content.decode() and "tracker/favicon" in page.content.decode()


def test_favicon_ico_leads_to_the_icon(client):
    answer = client.get("/favicon.ico")
    assert answer.status_code == 302 and "tracker/favicon" in answer["Location"]
    assert answer["Location"].endswith(".svg")
