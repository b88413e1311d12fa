"""The local HTTP API behaves like API Gateway HTTP API: routing misses, CORS, request ids, parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from localcloud.intrinsics import Resolver
from localcloud.template import LOCAL_PARAMETERS, cors_configuration, load_sam, transformed
from tests.e2e.conftest import http_request

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e

STORE = "/stores/mystmereforge"
ORIGIN = "https://shop.example.com"
NOT_FOUND = {"message": "Not Found"}


def template_cors() -> dict[str, Any]:
    """The HttpApi's CorsConfiguration with the template's parameter values (AllowOrigins defaults to *)."""
    resolver = Resolver(transformed(parameters=LOCAL_PARAMETERS), dict(LOCAL_PARAMETERS))
    cors: dict[str, Any] = resolver.resolve(cors_configuration(load_sam()))
    return cors


def allowed_origin_header(origin: str) -> str:
    return "*" if "*" in template_cors()["AllowOrigins"] else origin


@pytest.mark.parametrize("path", ["/nope", "/stores", "/stores/mystmereforge/products/ember-longsword/nope", "/"])
def test_unknown_route_is_the_gateways_not_found(local_cloud: LocalCloud, path: str) -> None:
    response = local_cloud.api(path)
    assert response.status == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", STORE), ("DELETE", "/health"), ("PUT", f"{STORE}/products"), ("TRACE", "/webhooks/stripe")],
)
def test_wrong_method_on_a_known_path_matches_no_route(local_cloud: LocalCloud, method: str, path: str) -> None:
    """HTTP API has no 405: a method without a route is simply no match."""
    response = local_cloud.api(path, method)
    assert response.status == 404
    assert response.json() == NOT_FOUND


def test_cors_preflight(local_cloud: LocalCloud) -> None:
    cors = template_cors()
    response = local_cloud.api(
        f"{STORE}/products",
        "OPTIONS",
        {"Origin": ORIGIN, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "content-type"},
    )
    assert response.status == 204
    assert response.body == b""
    assert response.headers["access-control-allow-origin"] == allowed_origin_header(ORIGIN)
    methods = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert "GET" in methods
    assert methods == set(cors["AllowMethods"])
    assert "content-type" in response.headers["access-control-allow-headers"]
    assert response.headers["access-control-max-age"] == str(cors["MaxAge"])


def test_simple_request_with_origin_gets_cors_headers(local_cloud: LocalCloud) -> None:
    response = local_cloud.api(STORE, headers={"Origin": ORIGIN})
    assert response.status == 200
    assert response.headers["access-control-allow-origin"] == allowed_origin_header(ORIGIN)
    assert "x-request-id" in response.headers["access-control-expose-headers"]


def test_request_without_origin_gets_no_cors_headers(local_cloud: LocalCloud) -> None:
    response = local_cloud.api(STORE)
    assert response.status == 200
    assert "access-control-allow-origin" not in response.headers


def test_function_responses_carry_the_request_id_the_function_saw(local_cloud: LocalCloud) -> None:
    ok = local_cloud.api("/health/live")
    assert ok.status == 200
    assert ok.headers["apigw-requestid"]
    missing = local_cloud.api(f"{STORE}/products/no-such-product")
    assert missing.status == 404
    request_id = missing.headers["apigw-requestid"]
    assert missing.json()["error"]["request_id"] == request_id  # requestContext.requestId reached the handler
    assert request_id != ok.headers["apigw-requestid"]
    assert local_cloud.api("/no/such/route").headers["apigw-requestid"]  # the gateway's own 404 too


def test_url_encoded_path_parameter_reaches_the_function(local_cloud: LocalCloud) -> None:
    missing = local_cloud.api(f"{STORE}/products/no%2Dsuch")
    assert missing.status == 404
    error = missing.json()["error"]  # the function's error shape, not the gateway's {"message": ...}
    assert error["code"] == "not_found"
    assert "no-such" in error["message"]  # decoded before the handler saw it
    found = local_cloud.api(f"{STORE}/products/ember%2Dlongsword")
    assert found.status == 200
    assert found.json()["slug"] == "ember-longsword"


def test_repeated_query_keys_reach_the_function(local_cloud: LocalCloud) -> None:
    """rawQueryString keeps both values; the app reads the last one (a comma-joined value would be a 400)."""
    page = local_cloud.get_json(f"{STORE}/products?category=shields&category=blades&limit=100")
    assert page["items"]
    assert {item["category"] for item in page["items"]} == {"blades"}
    limited = local_cloud.get_json(f"{STORE}/products?limit=50&limit=2")
    assert len(limited["items"]) == 2


def test_invalid_query_parameter_is_the_functions_400(local_cloud: LocalCloud) -> None:
    response = local_cloud.api(f"{STORE}/products?limit=0")
    assert response.status == 400
    assert response.json()["error"]["code"] == "validation_error"


NOT_UTF8 = b'{"email": "\xff\xfe@example.com", "password": "Sup3rSecret!"}'


@pytest.mark.parametrize("path", ["/auth/login", "/auth/signup", f"{STORE}/checkout", "/auth/forgot-password"])
def test_a_body_that_is_not_utf8_is_a_400_in_the_error_shape(local_cloud: LocalCloud, path: str) -> None:
    """The bytes reach the function base64-encoded, as on AWS; the function refuses them, it does not crash."""
    response = http_request(
        local_cloud.api_url + path, "POST", {"Content-Type": "application/json", "Idempotency-Key": "k" * 20}, NOT_UTF8
    )
    assert response.status == 400, response.body[:300]
    error = response.json()["error"]
    assert error["code"] == "invalid_body"
    assert error["fields"] == [{"field": "body", "message": error["message"]}]
    assert error["request_id"] == response.headers["apigw-requestid"]


def test_a_body_over_api_gateways_10_mb_is_refused_before_any_function_runs(local_cloud: LocalCloud) -> None:
    oversized = b"x" * (10 * 1024 * 1024 + 1)
    json_type = {"Content-Type": "application/json"}
    response = http_request(local_cloud.api_url + "/auth/login", "POST", json_type, oversized)
    assert response.status == 413
    assert response.json() == {"message": "Request Entity Too Large"}


def lambda_requests(local_cloud: LocalCloud, function: str) -> int:
    return int(local_cloud.get_json("/_local/meter")["lambda"].get(function, {}).get("requests", 0))


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b'{"email": "' + b"a" * (7 * 1024 * 1024) + b'"}', "7 MB of JSON"),
        (b"\xff" * (5 * 1024 * 1024), "5 MB that is not UTF-8, base64-encoded into a 6.7 MB event"),
    ],
)
def test_a_body_over_lambdas_6_mb_event_limit_is_refused_before_the_function_runs(
    local_cloud: LocalCloud, body: bytes, why: str
) -> None:
    """Under the gateway's 10 MB, but Lambda refuses an event over 6,291,556 bytes: HTTP API answers 413."""
    before = lambda_requests(local_cloud, "OperatorAuth")
    response = http_request(local_cloud.api_url + "/auth/login", "POST", {"Content-Type": "application/json"}, body)
    assert response.status == 413, why
    assert response.json() == {"message": "Request Entity Too Large"}
    assert response.headers["apigw-requestid"]
    assert lambda_requests(local_cloud, "OperatorAuth") == before, "the function ran (or was billed) anyway"


def test_a_5_mb_body_still_reaches_the_function(local_cloud: LocalCloud) -> None:
    before = lambda_requests(local_cloud, "OperatorAuth")
    body = b'{"email": "' + b"a" * (5 * 1024 * 1024) + b'", "password": "Sup3rSecret!"}'
    response = http_request(local_cloud.api_url + "/auth/login", "POST", {"Content-Type": "application/json"}, body)
    assert response.status == 400, response.body[:300]
    assert response.json()["error"]["request_id"] == response.headers["apigw-requestid"]  # the function's answer
    assert lambda_requests(local_cloud, "OperatorAuth") == before + 1


def test_a_json_route_given_another_content_type_is_a_400(local_cloud: LocalCloud) -> None:
    body = b'{"email": "me@example.com", "password": "Sup3rSecret!"}'
    response = http_request(local_cloud.api_url + "/auth/login", "POST", {"Content-Type": "text/plain"}, body)
    assert response.status == 400
    assert response.json()["error"]["code"] == "invalid_body"
