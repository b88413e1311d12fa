"""The merged OpenAPI document tells the truth: what the gateway and the functions really answer, one name per thing."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from localcloud import docs
from localcloud.openapi_export import function_documents, merged_document
from localcloud.template import Route, http_routes, load_sam

pytestmark = pytest.mark.static
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@cache
def document() -> dict[str, Any]:
    return merged_document()


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, ops in document()["paths"].items()
        for method, op in ops.items()
        if method in METHODS
    ]


@cache
def routes() -> dict[tuple[str, str], Route]:
    return {(r.method, r.path): r for r in http_routes(load_sam())}


def schema_of(response: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = response["content"]["application/json"]["schema"]
    return found


def test_no_operation_documents_a_422_the_api_never_sends() -> None:
    assert not [f"{m} {p}" for m, p, op in operations() if "422" in op["responses"]]
    assert not {"HTTPValidationError", "ValidationError"} & set(document()["components"]["schemas"])


def test_invalid_input_is_documented_as_400_with_the_error_shape() -> None:
    for method, path, op in operations():
        assert schema_of(op["responses"]["400"]) == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path)


def test_every_secured_operation_documents_the_authorizers_401() -> None:
    gateway = {"$ref": "#/components/schemas/GatewayMessage"}
    for method, path, op in operations():
        route = routes()[(method, path)]
        if route.authorizer is None:
            continue
        assert op["security"] == [{route.authorizer: []}], (method, path)
        schema = schema_of(op["responses"]["401"])
        assert schema == gateway or gateway in schema.get("anyOf", []), (method, path, schema)
    message = document()["components"]["schemas"]["GatewayMessage"]
    assert message["required"] == ["message"]
    assert set(document()["components"]["securitySchemes"]) == {r.authorizer for r in routes().values() if r.authorizer}


def test_every_public_operation_says_it_needs_no_credentials() -> None:
    public = [(m, p, op) for m, p, op in operations() if routes()[(m, p)].authorizer is None]
    assert public, "no public routes at all?"
    assert [f"{m} {p}" for m, p, op in public if op.get("security") != []] == []


def test_operation_ids_are_unique_short_and_url_safe() -> None:
    ids = [op.get("operationId") for _, _, op in operations()]
    assert None not in ids
    assert len(ids) == len(set(ids))
    too_long = [i for i in ids if len(str(i)) > 32 or not str(i).isalnum()]
    assert not too_long, too_long


def test_no_two_functions_give_one_schema_name_two_meanings() -> None:
    owners: dict[str, dict[str, list[str]]] = {}
    for function, doc in function_documents(load_sam()).items():
        for name, schema in (doc or {}).get("components", {}).get("schemas", {}).items():
            owners.setdefault(name, {}).setdefault(json.dumps(schema, sort_keys=True), []).append(function)
    clashes = {name: list(meanings.values()) for name, meanings in owners.items() if len(meanings) > 1}
    assert not clashes, clashes


def test_merge_refuses_a_schema_name_with_two_meanings() -> None:
    routes_ = [Route("GET", "/a", "A"), Route("GET", "/b", "B")]

    def doc(path: str, operation_id: str, schema: dict[str, Any]) -> dict[str, Any]:
        ok = {"200": {"description": "OK"}}
        return {
            "paths": {path: {"get": {"operationId": operation_id, "responses": ok}}},
            "components": {"schemas": {"ThingOut": schema}},
        }

    same = {"type": "object"}
    merged = docs.merge(routes_, {"A": doc("/a", "a", same), "B": doc("/b", "b", same)})
    assert merged["components"]["schemas"]["ThingOut"] == same
    with pytest.raises(docs.DocumentConflict, match="ThingOut"):
        docs.merge(routes_, {"A": doc("/a", "a", same), "B": doc("/b", "b", {"type": "string"})})
    with pytest.raises(docs.DocumentConflict, match="operationId a"):
        docs.merge(routes_, {"A": doc("/a", "a", same), "B": doc("/b", "a", same)})


def test_responses_name_the_schemas_each_function_answers_with() -> None:
    """The names that used to collide now point at each function's own model."""
    paths = document()["paths"]

    def ok(path: str, method: str = "get", status: str = "200") -> str:
        return str(schema_of(paths[path][method]["responses"][status])["$ref"]).rsplit("/", 1)[-1]

    assert ok("/stores/{store}/products/{product}") == "ProductOut"
    assert ok("/admin/stores/{store}/products/{product}") == "AdminProductOut"
    assert ok("/admin/stores/{store}/categories", "post", "201") == "AdminCategoryOut"
    assert ok("/auth/signup", "post", "202") == "AcceptedOut"
    assert ok("/auth/invitations/accept", "post") == "InvitationAcceptedOut"
    assert ok("/admin/stores/{store}/coupons/{code}") == "CouponOut"
    cart_coupon = document()["components"]["schemas"]["CartOut"]["properties"]["coupon"]
    assert {"$ref": "#/components/schemas/CartCouponOut"} in cart_coupon["anyOf"]
