"""The local cloud's Step Functions interpreter parses each definition once, keeps one client per service for
its tasks and parses each JSONPath once (localcloud/sfn_caches.py): executions of one definition, concurrent
ones included, still each end with their own result and their own writes, and a broken definition is still
refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import moto
import pytest
from botocore.exceptions import ClientError

from localcloud import sfn_caches
from tests.functional.sfn_helpers import finished, interpreter

pytestmark = [
    pytest.mark.functional,
    pytest.mark.skipif(moto.__version__ != sfn_caches.PINNED_MOTO, reason="the patch is pinned to moto's"),
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
    with interpreter(monkeypatch, sfn_caches.install) as client:
        yield client


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


WRITER = {
    "StartAt": "Save",
    "States": {
        "Save": {
            "Type": "Task",
            "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": "runs",
                           "Item": {"pk": {"S.$": "$.id"}, "n": {"N.$": "States.Format('{}', $.n)"}}},
            "ResultPath": None,
            "Next": "Done",
        },
        "Done": {"Type": "Pass", "Parameters": {"saved.$": "$.id"}, "End": True},
    },
}  # fmt: skip


def test_every_execution_writes_its_own_item_through_one_kept_client_and_parses_each_path_once(
    sfn: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jsonpath_ng.ext.parser

    made: list[str] = []
    make_client = boto3.client

    def client(*args: Any, **kwargs: Any) -> Any:
        made.append(kwargs.get("service_name", ""))
        return make_client(*args, **kwargs)

    paths: list[int] = []
    parser_init = jsonpath_ng.ext.parser.ExtendedJsonPathParser.__init__

    def parser(self: Any, *args: Any, **kwargs: Any) -> None:
        paths.append(1)
        parser_init(self, *args, **kwargs)

    monkeypatch.setattr(boto3, "client", client)
    monkeypatch.setattr(jsonpath_ng.ext.parser.ExtendedJsonPathParser, "__init__", parser)
    dynamodb = boto3.session.Session().client("dynamodb")
    dynamodb.create_table(
        TableName="runs",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    arn = sfn.create_state_machine(name="writer", definition=json.dumps(WRITER), roleArn=ROLE)["stateMachineArn"]

    for n in range(6):
        started = sfn.start_execution(stateMachineArn=arn, name=f"w{n}", input=json.dumps({"id": f"r{n}", "n": n}))
        end = finished(sfn, started["executionArn"])
        assert end["status"] == "SUCCEEDED", end
        assert json.loads(end["output"]) == {"saved": f"r{n}"}

    items = dynamodb.scan(TableName="runs")["Items"]
    assert sorted((i["pk"]["S"], i["n"]["N"]) for i in items) == [(f"r{n}", str(n)) for n in range(6)]
    assert made.count("dynamodb") == 1  # six putItem tasks, one client
    assert 0 < len(paths) <= 3  # $.id (twice in the definition), $.n: each parsed once for six executions


def test_a_definition_with_a_syntax_error_is_still_refused_every_time(sfn: Any, parses: list[int]) -> None:
    broken = json.dumps({"StartAt": "Nowhere", "States": {"Nowhere": {"Type": "Pass", "End": "yes please"}}})
    for _ in range(2):
        with pytest.raises(ClientError) as refused:
            sfn.create_state_machine(name="broken", definition=broken, roleArn=ROLE)
        assert "mismatched input '\"yes please\"'" in refused.value.response["Error"]["Message"]  # as without
    assert len(parses) == 2  # a refused definition is not kept
