"""The money path is deployed gradually: a new version of a function that takes orders or payments serves a tenth of
the traffic first and is rolled back by its own errors, and nothing reaches these functions except through the alias
CodeDeploy moves (a route or a task naming the function itself would bypass the canary)."""

from __future__ import annotations

import fnmatch
import json
import re
from typing import Any

import pytest

from localcloud.template import load_sam, transformed

pytestmark = pytest.mark.static

SAM = load_sam()
RESOURCES: dict[str, dict[str, Any]] = SAM["Resources"]
MONEY_PATH = ("Checkout", "CheckoutSteps", "PaymentWebhooks")
ALIAS = "live"


def _function_arn_uses(function: str, text: str) -> list[str]:
    """`${F.Arn}` / `${F}` (the unqualified function) in a Sub string."""
    return re.findall(r"\$\{" + function + r"(?:\.Arn)?\}", text)


@pytest.mark.parametrize("function", MONEY_PATH)
def test_the_function_shifts_traffic_gradually_and_rolls_back_on_its_alarm(function: str) -> None:
    props = RESOURCES[function]["Properties"]
    assert props.get("AutoPublishAlias") == ALIAS
    preference = props["DeploymentPreference"]
    assert SAM["Parameters"][preference["Type"]["Ref"]]["Default"] == "Canary10Percent5Minutes"
    assert preference.get("Enabled", True) is True
    (alarm,) = preference["Alarms"]
    watched = RESOURCES[alarm["Ref"]]
    assert watched["Type"] == "AWS::CloudWatch::Alarm"
    alarm_props = watched["Properties"]
    assert (alarm_props["Namespace"], alarm_props["MetricName"]) == ("AWS/Lambda", "Errors")
    dimensions = {d["Name"]: d["Value"] for d in alarm_props["Dimensions"]}
    assert dimensions["FunctionName"] == {"Ref": function}
    assert dimensions["ExecutedVersion"] == {"Fn::GetAtt": [function, "Version.Version"]}, (
        "only the new version's errors"
    )
    assert alarm_props["ComparisonOperator"] == "GreaterThanThreshold" and alarm_props["Threshold"] == 0

    cfn = transformed()["Resources"]
    group = cfn[f"{function}DeploymentGroup"]["Properties"]
    assert group["AlarmConfiguration"] == {"Enabled": True, "Alarms": [{"Name": alarm}]}
    assert "DEPLOYMENT_STOP_ON_ALARM" in group["AutoRollbackConfiguration"]["Events"]
    update = cfn[f"{function}Alias{ALIAS}"]["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
    assert update["DeploymentGroupName"] == {"Ref": f"{function}DeploymentGroup"}


def test_every_route_to_the_money_path_goes_through_the_alias() -> None:
    paths = RESOURCES["HttpApi"]["Properties"]["DefinitionBody"]["paths"]
    aliased, direct = [], []
    for path, operations in paths.items():
        for method, operation in operations.items():
            uri = json.dumps(operation["x-amazon-apigateway-integration"]["uri"])
            for function in MONEY_PATH:
                direct += [f"{method.upper()} {path}" for _ in _function_arn_uses(function, uri)]
                if json.dumps({"Ref": f"{function}.Alias"}) in uri:
                    aliased.append(f"{method.upper()} {path}")
    assert not direct, f"routes that bypass the canary: {direct}"
    assert {"POST /stores/{store}/checkout", "POST /webhooks/stripe", "POST /webhooks/square"} <= set(aliased)

    role = RESOURCES["HttpApiInvokeRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]["Resource"]
    assert {"Ref": "Checkout.Alias"} in role and {"Ref": "PaymentWebhooks.Alias"} in role, (
        "the API may not call the alias"
    )


def _rendered(value: Any, refs: dict[str, str]) -> str:
    """A transformed Fn::Sub / Ref as text, each function Ref as its name (enough to match ARNs against)."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return str(refs.get(value["Ref"], value["Ref"]))
    text, variables = value["Fn::Sub"] if isinstance(value["Fn::Sub"], list) else (value["Fn::Sub"], {})
    for name, inner in {**variables}.items():
        text = text.replace("${" + name + "}", _rendered(inner, refs))
    return re.sub(r"\$\{([^}]+)\}", lambda m: refs.get(m.group(1), m.group(1)), text)


def test_every_task_and_rule_naming_the_money_path_calls_the_alias_and_may() -> None:
    cfn = transformed()["Resources"]
    refs = {"AWS::Partition": "aws", "AWS::Region": "r", "AWS::AccountId": "1"}
    aliases = {f"{f}Alias{ALIAS}": f for f in MONEY_PATH}
    direct, invoking = [], {}
    for lid, r in cfn.items():
        props = r.get("Properties", {})
        if r["Type"] == "AWS::StepFunctions::StateMachine":
            for key, value in props.get("DefinitionSubstitutions", {}).items():
                if value in ({"Ref": f} for f in MONEY_PATH) or value in (
                    {"Fn::GetAtt": [f, "Arn"]} for f in MONEY_PATH
                ):
                    direct.append(f"{lid}.{key}")
                if isinstance(value, dict) and value.get("Ref") in aliases:
                    invoking[lid] = aliases[value["Ref"]]
        if r["Type"] == "AWS::Events::Rule":
            direct += [
                f"{lid}.{t['Id']}" for t in props.get("Targets", []) if t["Arn"] in [{"Ref": f} for f in MONEY_PATH]
            ]
    assert not direct, f"tasks and rule targets that bypass the canary: {direct}"
    assert invoking == {"CheckoutStateMachine": "CheckoutSteps"}

    for machine, function in invoking.items():
        role = cfn[cfn[machine]["Properties"]["RoleArn"]["Fn::GetAtt"][0]]["Properties"]
        granted = [
            _rendered(resource, {f: f for f in MONEY_PATH} | refs)
            for policy in role["Policies"]
            for statement in policy["PolicyDocument"]["Statement"]
            if "lambda:InvokeFunction" in statement["Action"]
            for resource in (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            )
        ]
        alias_arn = f"arn:aws:lambda:r:1:function:{function}:{ALIAS}"
        assert any(fnmatch.fnmatchcase(alias_arn, g) for g in granted), (
            f"{machine} may not invoke {alias_arn}: {granted}"
        )
