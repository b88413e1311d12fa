"""Optional Sentry in the template: off by default, the DSN only in SSM, every function allowed to read it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from localcloud.template import load_sam, transformed

pytestmark = pytest.mark.static

SAM = load_sam()
RESOURCES: dict[str, dict[str, Any]] = SAM["Resources"]
DSN = "https://0123456789abcdef@o1.ingest.sentry.io/42"


def test_sentry_is_off_unless_a_dsn_is_given_and_the_dsn_is_never_shown() -> None:
    parameter = SAM["Parameters"]["SentryDsn"]
    assert parameter["Default"] == "" and parameter["NoEcho"] is True
    assert SAM["Conditions"]["HasSentryDsn"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "SentryDsn"}, ""]}]}
    made = [lid for lid, r in RESOURCES.items() if "SentryDsn" in json.dumps(r.get("Properties", {}))]
    assert all(RESOURCES[lid].get("Condition") == "HasSentryDsn" for lid in made if lid.startswith("Sentry"))
    environment = SAM["Globals"]["Function"]["Environment"]["Variables"]
    assert environment["SENTRY_DSN_PARAMETER"] == {"Fn::If": ["HasSentryDsn", {"Ref": "SentryDsnParameter"}, ""]}


def test_no_function_environment_holds_the_dsn() -> None:
    cfn = transformed(parameters=(("SentryDsn", DSN),))["Resources"]
    holding = [
        lid
        for lid, r in cfn.items()
        if r["Type"] == "AWS::Lambda::Function"
        and {"Ref": "SentryDsn"} in r["Properties"].get("Environment", {}).get("Variables", {}).values()
    ]
    assert not holding, f"functions with the DSN itself in their environment: {holding}"
    assert cfn["SentryDsnParameter"]["Properties"]["Value"] == {"Ref": "SentryDsn"}


def test_every_function_may_read_the_dsn() -> None:
    cfn = transformed()["Resources"]
    roles = {r["Properties"]["Role"]["Fn::GetAtt"][0] for r in cfn.values() if r["Type"] == "AWS::Lambda::Function"}
    policy = RESOURCES["SentryDsnReadPolicy"]["Properties"]
    granted = {ref["Ref"] for ref in policy["Roles"]}
    assert not roles - granted, (
        f"function roles SentryDsnReadPolicy misses (add them to its Roles): {sorted(roles - granted)}"
    )
    assert not granted - roles, f"SentryDsnReadPolicy names roles of no function: {sorted(granted - roles)}"
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == "ssm:GetParameter"
    assert statement["Resource"]["Fn::Sub"].endswith(":parameter/${AWS::StackName}/observability/sentry-dsn")
