"""The HTTP API payload format 2.0 the gateway builds, checked against a sample event; reading results back."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest

from localcloud.apigw import build_event, read_result
from localcloud.demo_images import png_for
from localcloud.routes import Match
from localcloud.template import ROOT, Route

pytestmark = pytest.mark.unit

SAMPLE: dict[str, Any] = json.loads((ROOT / "events" / "health_live.json").read_text())
PRODUCT_ROUTE = Route("GET", "/stores/{store}/products/{product}", "StorefrontCatalog")


def event_for(
    match: Match,
    *,
    method: str = "GET",
    raw_path: str = "/",
    raw_query: str = "",
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"",
) -> dict[str, Any]:
    return build_event(
        match,
        method=method,
        raw_path=raw_path,
        raw_query=raw_query,
        headers=headers if headers is not None else [("Host", "127.0.0.1:3000"), ("User-Agent", "curl/8.5.0")],
        body=body,
        source_ip="127.0.0.1",
        host="127.0.0.1:3000",
    )


def health_live_event(body: bytes = b"", method: str = "GET") -> dict[str, Any]:
    headers = [(name, value) for name, value in SAMPLE["headers"].items()]
    match = Match(Route(method, "/health/live", "Health"), {})
    return event_for(match, method=method, raw_path="/health/live", headers=headers, body=body)


def test_same_shape_as_the_sample_event() -> None:
    # API Gateway leaves "body" out when the request has none (the sample's null means the same to a handler).
    event = health_live_event()
    assert set(event) == set(SAMPLE) - {"body"}
    assert set(event["requestContext"]) == set(SAMPLE["requestContext"])
    assert set(event["requestContext"]["http"]) == set(SAMPLE["requestContext"]["http"])
    with_body = health_live_event(b'{"ping": true}', "POST")
    assert set(with_body) == set(SAMPLE)


def test_same_values_as_the_sample_event_where_they_do_not_depend_on_the_deployment() -> None:
    event = health_live_event()
    for key in ("version", "routeKey", "rawPath", "rawQueryString", "headers", "isBase64Encoded"):
        assert event[key] == SAMPLE[key], key
    context, sample_context = event["requestContext"], SAMPLE["requestContext"]
    for key in ("accountId", "routeKey", "stage"):
        assert context[key] == sample_context[key], key
    for key in ("method", "path", "protocol", "userAgent"):
        assert context["http"][key] == sample_context["http"][key], key


def test_request_context() -> None:
    before = int(time.time() * 1000)
    event = event_for(Match(PRODUCT_ROUTE, {}), raw_path="/stores/a/products/b")
    context = event["requestContext"]
    assert context["http"]["sourceIp"] == "127.0.0.1"
    assert context["domainName"] == "127.0.0.1:3000"
    assert context["requestId"]
    assert before <= context["timeEpoch"] <= int(time.time() * 1000)
    time.strptime(context["time"], "%d/%b/%Y:%H:%M:%S +0000")
    assert event_for(Match(PRODUCT_ROUTE, {}))["requestContext"]["requestId"] != context["requestId"]


def test_route_key_path_and_parameters() -> None:
    match = Match(PRODUCT_ROUTE, {"store": "mystmereforge", "product": "no%2Dsuch"})
    event = event_for(match, raw_path="/stores/mystmereforge/products/no%2Dsuch")
    assert event["routeKey"] == event["requestContext"]["routeKey"] == "GET /stores/{store}/products/{product}"
    assert event["rawPath"] == "/stores/mystmereforge/products/no%2Dsuch"
    assert event["pathParameters"] == {"store": "mystmereforge", "product": "no-such"}  # decoded, as AWS does
    assert "queryStringParameters" not in event
    assert "cookies" not in event


def test_default_route_key() -> None:
    event = event_for(Match(Route("ANY", "$default", "Fallback"), {}), method="DELETE", raw_path="/anything/here")
    assert event["routeKey"] == event["requestContext"]["routeKey"] == "$default"
    assert event["requestContext"]["http"]["method"] == "DELETE"
    assert "pathParameters" not in event


def test_query_string_with_repeated_keys() -> None:
    raw = "category=blades&tag=a&tag=b%20c&empty=&tag=d"
    event = event_for(Match(PRODUCT_ROUTE, {}), raw_query=raw)
    assert event["rawQueryString"] == raw
    assert event["queryStringParameters"] == {"category": "blades", "tag": "a,b c,d", "empty": ""}


def test_headers_lowercased_duplicates_comma_joined_cookies_split_out() -> None:
    headers = [
        ("Host", "127.0.0.1:3000"),
        ("X-Custom-Header", "one"),
        ("x-custom-header", "two"),
        ("Cookie", "session=abc; theme=dark"),
        ("Cookie", "cart=42"),
        ("Content-Type", "application/json"),
    ]
    event = event_for(Match(PRODUCT_ROUTE, {}), headers=headers)
    assert event["headers"] == {
        "host": "127.0.0.1:3000",
        "x-custom-header": "one,two",
        "content-type": "application/json",
    }
    assert event["cookies"] == ["session=abc", "theme=dark", "cart=42"]


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "text/plain", "application/problem+json"]
)
def test_text_bodies_are_passed_as_text(content_type: str) -> None:
    body = '{"name": "Ember Longsword – 105 cm"}'.encode()
    event = event_for(Match(PRODUCT_ROUTE, {}), method="POST", headers=[("Content-Type", content_type)], body=body)
    assert event["isBase64Encoded"] is False
    assert event["body"] == body.decode()


@pytest.mark.parametrize("content_type", ["image/png", "application/octet-stream", None])
def test_binary_bodies_are_base64_encoded(content_type: str | None) -> None:
    body = png_for("test")
    headers = [("Content-Type", content_type)] if content_type else []
    event = event_for(Match(PRODUCT_ROUTE, {}), method="PUT", headers=headers, body=body)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/x-www-form-urlencoded"])
def test_a_text_body_that_is_not_utf8_is_base64_encoded(content_type: str) -> None:
    """API Gateway cannot pass bytes that are not UTF-8 as text: they reach the function base64-encoded."""
    body = b'{"email": "\xff\xfe@example.com"}'
    event = event_for(Match(PRODUCT_ROUTE, {}), method="POST", headers=[("Content-Type", content_type)], body=body)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body


def test_read_result_bare_dict_is_a_200_json_body() -> None:
    response = read_result({"status": "ok", "items": [1, 2]})
    assert response.status == 200
    assert ("content-type", "application/json") in response.headers
    assert json.loads(response.body) == {"status": "ok", "items": [1, 2]}


def test_read_result_full_response_with_cookies() -> None:
    result = {
        "statusCode": 201,
        "headers": {"Content-Type": "text/plain", "X-Request-Id": "abc"},
        "cookies": ["session=abc; Path=/; HttpOnly", "theme=dark"],
        "body": "created",
        "isBase64Encoded": False,
    }
    response = read_result(result)
    assert response.status == 201
    assert response.body == b"created"
    assert ("content-type", "text/plain") in response.headers
    assert ("x-request-id", "abc") in response.headers
    assert [v for k, v in response.headers if k == "set-cookie"] == ["session=abc; Path=/; HttpOnly", "theme=dark"]


def test_read_result_base64_body() -> None:
    png = png_for("ember-longsword")
    result = {
        "statusCode": 200,
        "headers": {"content-type": "image/png"},
        "body": base64.b64encode(png).decode(),
        "isBase64Encoded": True,
    }
    response = read_result(result)
    assert response.status == 200
    assert response.body == png
    assert ("content-type", "image/png") in response.headers


def test_read_result_without_body() -> None:
    response = read_result({"statusCode": 204})
    assert response.status == 204
    assert response.body == b""
