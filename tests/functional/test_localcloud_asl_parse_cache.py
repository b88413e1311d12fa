"""The local cloud parses each state machine definition once (localcloud/asl_parse_cache.py): executions of one
definition, concurrent ones included, still each end with their own result, and a broken definition is still
refused."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from localcloud import asl_parse_cache

pytestmark = [
    pytest.mark.functional,
    pytest.mark.skipif(moto.__version__ != asl_parse_cache.PINNED_MOTO, reason="the patch is pinned to moto's"),
]

ROLE = "arn:aws:iam::123456789012:role/workflow"
# A Choice, a Map and a caught Fail: the parts whose evaluation keeps per-execution state.
DEFINITION = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 2,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Route",
                "States": {
                    "Route": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 2,
                              "Next": "Big"}], "Default": "Small"},
                    "Big": {"Type": "Pass", "Parameters": {"big.$": "$.n"}, "End": True},
                    "Small": {"Type": "Pass", "Parameters": {"small.$": "$.n"}, "End": True},
                },
            },
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}],
            "End": True,
        },
        "Failed": {"Type": "Fail", "Error": "MapFailed"},
    },
}  # fmt: skip


@pytest.fixture
def sfn(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "x")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    undo = asl_parse_cache.install()
    assert undo is not None
    try:
        with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
            yield boto3.client("stepfunctions")
    finally:
        undo()


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times ANTLR parsed a whole definition."""
    from moto.stepfunctions.parser.asl.antlr.runtime.ASLParser import ASLParser

    counted: list[int] = []
    original = ASLParser.state_machine

    def state_machine(self: Any) -> Any:
        counted.append(1)
        return original(self)

    monkeypatch.setattr(ASLParser, "state_machine", state_machine)
    return counted


def finished(sfn: Any, execution: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    described: dict[str, Any] = sfn.describe_execution(executionArn=execution)
    while described["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.05)
        described = sfn.describe_execution(executionArn=execution)
    return described


def test_concurrent_executions_of_one_definition_share_its_parse_and_keep_their_own_results(
    sfn: Any, parses: list[int]
) -> None:
    arn = sfn.create_state_machine(name="routed", definition=json.dumps(DEFINITION), roleArn=ROLE)["stateMachineArn"]
    inputs = [{"items": [{"n": i}, {"n": i + 2}]} for i in range(8)]

    def run(at: int) -> dict[str, Any]:
        started = sfn.start_execution(stateMachineArn=arn, name=f"run-{at}", input=json.dumps(inputs[at]))
        return finished(sfn, started["executionArn"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        ends = list(pool.map(run, range(len(inputs))))

    for i, end in enumerate(ends):
        assert end["status"] == "SUCCEEDED", end
        expected = [{"big": n} if n > 2 else {"small": n} for n in (i, i + 2)]
        assert json.loads(end["output"]) == expected
    assert len(parses) == 1  # creating the machine parsed it; no execution parsed it again


def test_a_definition_with_a_syntax_error_is_still_refused_every_time(sfn: Any, parses: list[int]) -> None:
    broken = json.dumps({"StartAt": "Nowhere", "States": {"Nowhere": {"Type": "Pass", "End": "yes please"}}})
    for _ in range(2):
        with pytest.raises(ClientError) as refused:
            sfn.create_state_machine(name="broken", definition=broken, roleArn=ROLE)
        assert "mismatched input '\"yes please\"'" in refused.value.response["Error"]["Message"]  # as without
    assert len(parses) == 2  # a refused definition is not kept
