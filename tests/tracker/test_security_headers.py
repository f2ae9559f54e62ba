"""Every kind of page carries the Content-Security-Policy; the public pages' own style has the nonce."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/login/", "/public/replies/", "/api/v1/public/replies/", "/api/docs/"])
def test_every_page_has_a_content_security_policy(client, path):
    policy = client.get(path).headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    script = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "unsafe-inline" not in script and "unsafe-eval" not in script


def test_the_public_pages_inline_style_carries_the_requests_nonce(client):
    response = client.get("/public/replies/")
    nonce = re.search(r"style-src [^;]*'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert client.get("/public/replies/").headers["Content-Security-Policy"] != response.headers["Content-Security-Policy"]
