"""/api/schema/ (OpenAPI 3) and /api/docs/ with assets served by us (offices' intranets have no CDN)."""

from __future__ import annotations

import pytest
import yaml
from django.contrib.staticfiles import finders

from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

CONTRACT = {
    ("/api/v1/auth/token/", "post"), ("/api/v1/auth/token/", "delete"),
    ("/api/v1/proposals/", "get"), ("/api/v1/proposals/{id}/", "get"), ("/api/v1/proposals/{id}/feedback/", "post"),
    ("/api/v1/notifications/", "get"), ("/api/v1/notifications/{id}/read/", "post"),
    ("/api/v1/public/replies/", "get"), ("/api/v1/public/replies/{id}/", "get"),
}


def test_the_schema_documents_every_contract_path_and_its_errors():
    response = client_for().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    operations = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert CONTRACT <= operations
    feedback = schema["paths"]["/api/v1/proposals/{id}/feedback/"]["post"]["responses"]
    assert {"201", "400", "401", "404", "409"} <= set(feedback)
    assert feedback["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert "security" not in schema["paths"]["/api/v1/public/replies/"]["get"]


def test_the_docs_page_loads_its_assets_from_this_server():
    response = client_for().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "googleapis"):
        assert cdn not in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
