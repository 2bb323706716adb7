"""The OpenAPI description and its browsable page, generated from the registries."""

from __future__ import annotations

from openapi_spec_validator import validate

from eoffice.api.methods import METHODS
from eoffice.doctype.base import REGISTRY


def test_openapi_json_is_a_valid_openapi_3_document_with_every_doctype_and_method(anonymous):
    response = anonymous.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for name in REGISTRY:
        assert {"get", "post"} <= set(paths[f"/api/resource/{name}"])
        assert {"get", "put", "delete"} <= set(paths[f"/api/resource/{name}/{{name}}"])
    for key in METHODS:
        assert f"/api/method/{key}" in paths
    for key in ("login", "logout", "upload_file", "frappe.client.get_count"):
        assert f"/api/method/{key}" in paths
    unit = spec["components"]["schemas"]["Organization_Unit"]
    assert unit["properties"]["kind"]["enum"] == [
        "Cơ quan",
        "Phòng ban",
        "Xã",
        "Thị trấn",
        "Đơn vị hiệp quản",
    ]
    assert unit["properties"]["parent"]["type"] == "string"  # a link, by name
    assert unit["properties"]["path"]["readOnly"] is True
    assert "unit_name" in unit["required"]
    assert "password" not in spec["components"]["schemas"]["User"]["properties"]
    task = spec["components"]["schemas"]["Task"]
    assert task["properties"]["assignees"]["items"]["$ref"].endswith("Task_Assignee")


def test_the_docs_page_is_swagger_ui_served_from_local_files(anonymous):
    page = anonymous.get("/api/docs")
    assert page.status_code == 200
    assert "/api/openapi.json" in page.text
    assert "http://" not in page.text.replace(anonymous.base_url, "")
    assert "https://" not in page.text
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"):
        url = next(
            part.split('"')[0]
            for part in page.text.split('="')
            if part.startswith("/") and asset in part.split('"')[0]
        )
        fetched = anonymous.get(url)
        assert fetched.status_code == 200 and len(fetched.content) > 1000, url
