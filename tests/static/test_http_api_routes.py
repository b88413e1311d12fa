"""The HTTP API's routes live in its DefinitionBody, with one invoke permission per function: SAM's HttpApi
events would add a permission per route, and the stack would outgrow CloudFormation's 500 resources."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from localcloud.template import http_routes, load_sam

pytestmark = pytest.mark.static

SAM = load_sam()
API_WIDE = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${HttpApi}/*"


def _permissions() -> dict[str, dict[str, Any]]:
    return {
        lid: r["Properties"]
        for lid, r in SAM["Resources"].items()
        if r["Type"] == "AWS::Lambda::Permission" and r["Properties"].get("SourceArn", {}).get("Fn::Sub") == API_WIDE
    }


def test_no_function_declares_a_route_as_an_httpapi_event() -> None:
    events = [
        f"{lid}.{name}"
        for lid, r in SAM["Resources"].items()
        for name, e in r.get("Properties", {}).get("Events", {}).items()
        if e["Type"] == "HttpApi"
    ]
    assert events == [], "put these routes in HttpApi's DefinitionBody (one line per operation)"


def test_every_routed_function_and_only_those_may_be_invoked_by_the_api_once() -> None:
    routed = {r.function for r in http_routes(SAM)}
    granted = Counter(p["FunctionName"]["Ref"] for p in _permissions().values())
    assert set(granted) == routed
    assert [f for f, n in granted.items() if n > 1] == []
    assert all(SAM["Resources"][f]["Type"] == "AWS::Serverless::Function" for f in routed)


def test_each_route_is_declared_once_and_names_a_known_authorizer() -> None:
    keys = Counter(r.route_key for r in http_routes(SAM))
    assert [k for k, n in keys.items() if n > 1] == []
    declared = set(SAM["Resources"]["HttpApi"]["Properties"]["Auth"]["Authorizers"])
    assert {r.authorizer for r in http_routes(SAM) if r.authorizer} <= declared
