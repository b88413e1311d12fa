"""One OpenAPI document for every route of the template, and Swagger UI served from local files."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from localcloud.template import Route

SWAGGER_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>Nozzly API (local)</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui"});</script>
</body></html>"""


def merge(routes: list[Route], documents: dict[str, dict[str, Any] | None]) -> dict[str, Any]:
    """Each HTTP function documents its own routes; keep exactly the template's routes."""
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Nozzly API (local cloud)", "version": "0.1.0"},
        "paths": {},
        "components": {"schemas": {}},
    }
    for route in routes:
        document = documents.get(route.function) or {}
        operation = document.get("paths", {}).get(route.path, {}).get(route.method.lower())
        if operation is None:
            operation = {
                "summary": f"{route.route_key} (served by {route.function})",
                "responses": {"200": {"description": "OK"}},
            }
        operation = {**operation, "tags": [route.function]}
        if route.authorizer:  # a JWT authorizer: Swagger UI's "Authorize" sends the token as a bearer
            operation["security"] = [{route.authorizer: []}]
            schemes = merged["components"].setdefault("securitySchemes", {})
            schemes[route.authorizer] = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        merged["paths"].setdefault(route.path, {})[route.method.lower()] = operation
        merged["components"]["schemas"] |= document.get("components", {}).get("schemas", {})
    return merged


def swagger_asset(name: str) -> tuple[bytes, str] | None:
    from swagger_ui_bundle import swagger_ui_path

    root = Path(swagger_ui_path).resolve()
    path = (root / name).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"
