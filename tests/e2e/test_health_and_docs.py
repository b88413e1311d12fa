"""Readiness against the emulator, and one OpenAPI document + Swagger UI for exactly the template's routes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from localcloud.docs import is_page
from localcloud.template import http_routes, load_sam

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e
# Every function sandbox starts cold to document itself; on two busy cores that can take over half a minute.
OPENAPI_TIMEOUT = 180


def test_ready_checks_every_table_and_bucket_of_the_template(local_cloud: LocalCloud) -> None:
    response = local_cloud.api("/health/ready")
    assert response.status == 200, response.body[:500]
    body = response.json()
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert {name: check["status"] for name, check in body["checks"].items()} == dict.fromkeys(body["checks"], "ok")
    resources = load_sam()["Resources"]
    storage = {lid for lid, r in resources.items() if r["Type"] in ("AWS::DynamoDB::Table", "AWS::S3::Bucket")}
    assert set(body["checks"]) == storage - {"ConsoleBucket"}  # read by CloudFront alone, no function needs it


@pytest.mark.parametrize("path", ["/health", "/health/live"])
def test_liveness(local_cloud: LocalCloud, path: str) -> None:
    assert local_cloud.get_json(path)["status"] == "ok"


def test_openapi_lists_exactly_the_templates_http_routes(local_cloud: LocalCloud) -> None:
    """Every route but the shop's pages (HTML for browsers, not the JSON API's contract)."""
    document = local_cloud.get_json("/openapi.json", timeout=OPENAPI_TIMEOUT)
    assert document["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, operations in document["paths"].items() for method in operations}
    routes = http_routes(load_sam())
    assert documented == {(route.path, route.method) for route in routes if not is_page(route)}
    assert any(is_page(route) for route in routes), "the shop's pages are routes of the template"
    for operations in document["paths"].values():
        for operation in operations.values():
            assert operation["responses"], operation


def test_docs_page_and_its_swagger_ui_assets_load(local_cloud: LocalCloud) -> None:
    page = local_cloud.api("/docs")
    assert page.status == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.body.decode()
    assert "swagger-ui" in html.lower()
    assert "/openapi.json" in html
    assets = re.findall(r"""(?:src|href)=["'](/docs/[^"']+)["']""", html)
    assert any(a.endswith(".js") for a in assets), assets
    assert any(a.endswith(".css") for a in assets), assets
    for asset in assets:
        response = local_cloud.api(asset)
        assert response.status == 200, asset
        assert response.body, asset
        kind = "css" if asset.endswith(".css") else "javascript"
        assert kind in response.headers["content-type"], (asset, response.headers["content-type"])


def test_docs_assets_cannot_escape_the_swagger_ui_folder(local_cloud: LocalCloud) -> None:
    for path in ("/docs/../../pyproject.toml", "/docs/%2e%2e/%2e%2e/pyproject.toml", "/docs/no-such-asset.js"):
        assert local_cloud.api(path).status == 404, path


def test_the_served_document_is_the_one_linted_and_tested(local_cloud: LocalCloud) -> None:
    """Each function's sandbox documents itself; merged, that is what tests/static/test_openapi.py checks."""
    from localcloud.openapi_export import merged_document

    assert local_cloud.get_json("/openapi.json", timeout=OPENAPI_TIMEOUT) == merged_document()
