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


# What API Gateway itself answers, before any function runs: a JWT authorizer's refusal, an unknown route.
GATEWAY_MESSAGE = "GatewayMessage"
_GATEWAY_SCHEMA: dict[str, Any] = {
    "title": GATEWAY_MESSAGE,
    "type": "object",
    "properties": {"message": {"type": "string", "examples": ["Unauthorized"]}},
    "required": ["message"],
}
_ERROR_REF = "#/components/schemas/ErrorResponse"


class DocumentConflict(ValueError):
    """Two functions document different things under one name: the merged document would lie about one."""


def _unauthorized(function_answers_401: bool) -> dict[str, Any]:
    gateway = {"$ref": f"#/components/schemas/{GATEWAY_MESSAGE}"}
    schema = {"anyOf": [gateway, {"$ref": _ERROR_REF}]} if function_answers_401 else gateway
    description = 'The JWT authorizer refused the token (missing, invalid, expired): {"message": "Unauthorized"}'
    if function_answers_401:
        description += "; or the function refused it (not an access token, another store's, a deleted account)"
    return {
        "description": description,
        "headers": {"www-authenticate": {"description": "Why the token was refused", "schema": {"type": "string"}}},
        "content": {"application/json": {"schema": schema}},
    }


def _add_schemas(merged: dict[str, Any], function: str, schemas: dict[str, Any], owners: dict[str, str]) -> None:
    known = merged["components"]["schemas"]
    for name, schema in schemas.items():
        if name in known and known[name] != schema:
            raise DocumentConflict(f"{function} and {owners[name]} define different schemas named {name}")
        known[name] = schema
        owners.setdefault(name, function)


PAGE_PREFIXES = ("/shop/", "/shop-assets/")


def is_page(route: Route) -> bool:
    """The storefront's pages and their static files: HTML for browsers, not part of the JSON API's contract."""
    return route.path.startswith(PAGE_PREFIXES)


def merge(routes: list[Route], documents: dict[str, dict[str, Any] | None]) -> dict[str, Any]:
    """Each HTTP function documents its own routes; keep exactly the template's routes, and add what the gateway
    answers itself (the authorizer's 401) and which routes are public (`security: []`).

    Schemas are shared by name across functions, so two functions must not give one name two meanings, and an
    operationId names one operation of the whole API: either is a DocumentConflict.
    """
    merged: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Nozzly API (local cloud)", "version": "0.1.0"},
        "servers": [{"url": "/", "description": "where this document is served: the gateway"}],
        "paths": {},
        "components": {"schemas": {GATEWAY_MESSAGE: _GATEWAY_SCHEMA}},
    }
    owners = {GATEWAY_MESSAGE: "the gateway"}
    operation_ids: dict[str, str] = {}
    for route in routes:
        if is_page(route):
            continue
        document = documents.get(route.function) or {}
        operation = document.get("paths", {}).get(route.path, {}).get(route.method.lower())
        if operation is None:
            operation = {
                "summary": f"{route.route_key} (served by {route.function})",
                "responses": {"200": {"description": "OK"}},
            }
        operation = {**operation, "tags": [route.function], "responses": dict(operation["responses"])}
        operation_id = operation.get("operationId")
        if operation_id is not None:
            if operation_id in operation_ids:
                raise DocumentConflict(
                    f"{route.route_key} and {operation_ids[operation_id]} share operationId {operation_id}"
                )
            operation_ids[operation_id] = route.route_key
        if route.authorizer:  # a JWT authorizer: Swagger UI's "Authorize" sends the token as a bearer
            operation["security"] = [{route.authorizer: []}]
            operation["responses"]["401"] = _unauthorized("401" in operation["responses"])
            schemes = merged["components"].setdefault("securitySchemes", {})
            schemes[route.authorizer] = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        else:
            operation["security"] = []  # public: the gateway lets any request through
        merged["paths"].setdefault(route.path, {})[route.method.lower()] = operation
        _add_schemas(merged, route.function, document.get("components", {}).get("schemas", {}), owners)
        # OpenAPI 3.1 `webhooks`: requests Nozzly sends (outbound webhooks' payloads), documented by their function.
        merged.setdefault("webhooks", {}).update(document.get("webhooks", {}))
    if not merged.get("webhooks"):
        merged.pop("webhooks", None)
    return merged


def swagger_asset(name: str) -> tuple[bytes, str] | None:
    from swagger_ui_bundle import swagger_ui_path

    root = Path(swagger_ui_path).resolve()
    path = (root / name).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"
