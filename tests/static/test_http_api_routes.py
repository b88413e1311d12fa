"""The HTTP API's routes live in its DefinitionBody, invoked as one role: SAM's HttpApi events would add a Lambda
permission per route (and one per function still costs a resource each), outgrowing CloudFormation's 500."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from localcloud.template import http_routes, load_sam

pytestmark = pytest.mark.static

SAM = load_sam()
ROLE = {"Fn::GetAtt": ["HttpApiInvokeRole", "Arn"]}


def _integrations() -> list[dict[str, Any]]:
    paths = SAM["Resources"]["HttpApi"]["Properties"]["DefinitionBody"]["paths"]
    return [operation["x-amazon-apigateway-integration"] for item in paths.values() for operation in item.values()]


def test_no_function_declares_a_route_as_an_httpapi_event() -> None:
    events = [
        f"{lid}.{name}"
        for lid, r in SAM["Resources"].items()
        for name, e in r.get("Properties", {}).get("Events", {}).items()
        if e["Type"] == "HttpApi"
    ]
    assert events == [], "put these routes in HttpApi's DefinitionBody (one line per operation)"


def test_the_api_invokes_every_routed_function_and_only_those_as_its_own_role() -> None:
    routed = {r.function for r in http_routes(SAM)}
    assert all(SAM["Resources"][f]["Type"] == "AWS::Serverless::Function" for f in routed)
    assert [i for i in _integrations() if i.get("credentials") != ROLE] == []
    role = SAM["Resources"]["HttpApiInvokeRole"]["Properties"]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    (policy,) = role["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == "lambda:InvokeFunction"
    # A gradually deployed function is invoked as its alias (`!Ref Fn.Alias`), the others as themselves.
    invoked = Counter(
        arn["Ref"].removesuffix(".Alias") if "Ref" in arn else arn["Fn::GetAtt"][0] for arn in statement["Resource"]
    )
    assert set(invoked) == routed and max(invoked.values()) == 1
    permissions = [lid for lid, r in SAM["Resources"].items() if r["Type"] == "AWS::Lambda::Permission"]
    assert [p for p in permissions if "${HttpApi}" in str(SAM["Resources"][p]["Properties"].get("SourceArn"))] == []


def test_each_route_is_declared_once_and_names_a_known_authorizer() -> None:
    keys = Counter(r.route_key for r in http_routes(SAM))
    assert [k for k, n in keys.items() if n > 1] == []
    declared = set(SAM["Resources"]["HttpApi"]["Properties"]["Auth"]["Authorizers"])
    assert {r.authorizer for r in http_routes(SAM) if r.authorizer} <= declared
