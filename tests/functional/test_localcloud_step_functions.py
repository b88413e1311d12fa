"""The local cloud's Step Functions integration (localcloud/sfn_service_tasks.py): a Map of
`states:startExecution.sync:2` tasks, as BulkImportStateMachine runs its product imports, starts each child
execution, waits for it and reads its end in AWS's casing (`$.Status`, `$.Output`); a failed child fails its
task (States.TaskFailed), which the parent's Catch sees. Without the patch moto fails every such task with
States.Runtime before any child starts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import moto
import pytest

from localcloud import sfn_service_tasks
from tests.functional.sfn_helpers import finished, interpreter

pytestmark = [
    pytest.mark.functional,
    pytest.mark.skipif(moto.__version__ != sfn_service_tasks.PINNED_MOTO, reason="the patch is pinned to moto's"),
]

ROLE = "arn:aws:iam::123456789012:role/workflow"
CHILD = {
    "StartAt": "Route",
    "States": {
        "Route": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": False, "Next": "Broken"}],
                  "Default": "Made"},
        "Made": {"Type": "Pass", "Parameters": {"made.$": "$.sku"}, "End": True},
        "Broken": {"Type": "Fail", "Error": "ImportFailed", "Cause": "the supplier is gone"},
    },
}  # fmt: skip
PARENT = {
    "StartAt": "Each",
    "States": {
        "Each": {
            "Type": "Map",
            "ItemsPath": "$.items",
            "MaxConcurrency": 4,
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Import",
                "States": {
                    "Import": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::states:startExecution.sync:2",
                        "Parameters": {
                            "StateMachineArn": "CHILD",
                            "Name.$": "$.sku",
                            "Input": {"sku.$": "$.sku", "ok.$": "$.ok"},
                        },
                        "ResultSelector": {"status.$": "$.Status", "output.$": "$.Output"},
                        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}],
                        "End": True,
                    },
                    "Failed": {"Type": "Pass", "Parameters": {"error.$": "$.error.Error"}, "End": True},
                },
            },
            "End": True,
        }
    },
}


@pytest.fixture
def sfn(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with interpreter(monkeypatch, sfn_service_tasks.install) as client:
        yield client


def run(sfn: Any, arn: str, payload: dict[str, Any]) -> dict[str, Any]:
    return finished(sfn, sfn.start_execution(stateMachineArn=arn, input=json.dumps(payload))["executionArn"], 20)


def test_a_map_of_sync_child_executions_waits_for_each_and_reads_its_end(sfn: Any) -> None:
    child = sfn.create_state_machine(name="child", definition=json.dumps(CHILD), roleArn=ROLE)["stateMachineArn"]
    definition = json.dumps(PARENT).replace('"CHILD"', json.dumps(child))
    parent = sfn.create_state_machine(name="parent", definition=definition, roleArn=ROLE)["stateMachineArn"]

    items = [{"sku": "lamp", "ok": True}, {"sku": "chair", "ok": True}, {"sku": "strap", "ok": False}]
    done = run(sfn, parent, {"items": items})

    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == [
        {"status": "SUCCEEDED", "output": {"made": "lamp"}},
        {"status": "SUCCEEDED", "output": {"made": "chair"}},
        {"error": "States.TaskFailed"},  # the failed child, caught by the parent
    ]
    children = {e["name"]: e["status"] for e in sfn.list_executions(stateMachineArn=child)["executions"]}
    assert children == {"lamp": "SUCCEEDED", "chair": "SUCCEEDED", "strap": "FAILED"}
