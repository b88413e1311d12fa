"""Whose address a per-IP limit counts: API Gateway's peer, or the viewer CloudFront names when the request
provably came through the stack's distribution."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import Request

from nozzly.gateway_context import source_ip

pytestmark = pytest.mark.unit
SECRET = "6f1b1d40-0f8a-11ef-a1b2-0a1b2c3d4e5f"


def request(headers: dict[str, str], peer: str = "130.176.1.1") -> Request:
    event: dict[str, Any] = {"requestContext": {"http": {"sourceIp": peer}}}
    scope = {
        "type": "http",
        "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        "aws.event": event,
    }
    return Request(scope)


@pytest.fixture(autouse=True)
def stack_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDGE_SECRET", SECRET)


@pytest.mark.parametrize(("viewer", "ip"), [("203.0.113.9:46532", "203.0.113.9"), ("2001:db8::17:443", "2001:db8::17")])
def test_behind_the_stacks_cloudfront_the_viewer_is_counted_not_the_edge(viewer: str, ip: str) -> None:
    assert source_ip(request({"x-nozzly-edge": SECRET, "cloudfront-viewer-address": viewer})) == ip


@pytest.mark.parametrize(
    "headers",
    [
        {"cloudfront-viewer-address": "198.51.100.7:1234"},  # a caller naming any address it likes
        {"x-nozzly-edge": "guessed", "cloudfront-viewer-address": "198.51.100.7:1234"},
        {"x-nozzly-edge": SECRET},  # CloudFront named no viewer
    ],
)
def test_without_the_stacks_proof_the_peer_api_gateway_saw_is_counted(headers: dict[str, str]) -> None:
    assert source_ip(request(headers, peer="192.0.2.44")) == "192.0.2.44"


def test_no_secret_configured_trusts_no_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EDGE_SECRET")
    headers = {"x-nozzly-edge": "", "cloudfront-viewer-address": "198.51.100.7:1234"}
    assert source_ip(request(headers, peer="192.0.2.44")) == "192.0.2.44"
