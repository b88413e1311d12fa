"""The CatalogImport state machine really runs in the emulator, and its Lambda tasks run the real handler."""

from __future__ import annotations

import copy
import json
import time
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import pytest

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e


def state_machine_arn(cloud: LocalCloud) -> str:
    name = cloud.names["CatalogImportStateMachine"]
    machines = cloud.client("stepfunctions").list_state_machines()["stateMachines"]
    arn: str = next(m["stateMachineArn"] for m in machines if m["name"] == name)
    return arn


def run_to_completion(cloud: LocalCloud, payload: dict[str, Any], timeout: float = 30) -> dict[str, Any]:
    sfn = cloud.client("stepfunctions")
    execution_arn = sfn.start_execution(
        stateMachineArn=state_machine_arn(cloud), name=f"e2e-{uuid4().hex}", input=json.dumps(payload)
    )["executionArn"]
    deadline = time.monotonic() + timeout
    while (execution := sfn.describe_execution(executionArn=execution_arn))["status"] == "RUNNING":
        assert time.monotonic() < deadline, f"{execution_arn} still RUNNING after {timeout} s"
        time.sleep(0.2)
    result: dict[str, Any] = execution
    return result


def test_the_seed_execution_succeeded(local_cloud: LocalCloud) -> None:
    executions = local_cloud.client("stepfunctions").list_executions(stateMachineArn=state_machine_arn(local_cloud))
    seeds = [e for e in executions["executions"] if e["name"].startswith("seed-mystmereforge-")]
    assert seeds, executions["executions"]
    assert {e["status"] for e in seeds} == {"SUCCEEDED"}
    sfn = local_cloud.client("stepfunctions")
    output = json.loads(sfn.describe_execution(executionArn=seeds[0]["executionArn"])["output"])
    assert output["store_id"] == "mystmereforge"
    assert sorted(p["slug"] for p in output["products"]) == sorted(p["slug"] for p in local_cloud.demo["products"])
    # One Lambda task for the store step, one per product (the Map state), then the event to the bus.
    history = sfn.get_execution_history(executionArn=seeds[0]["executionArn"], maxResults=1000)["events"]
    invokes = [
        e for e in history if e["type"] == "TaskSucceeded" and e["taskSucceededEventDetails"]["resource"] == "invoke"
    ]
    assert len(invokes) == 1 + len(local_cloud.demo["products"])
    assert any(
        e["type"] == "TaskSucceeded" and e["taskSucceededEventDetails"]["resourceType"] == "events" for e in history
    )


def test_a_failing_product_step_fails_the_execution_and_writes_no_product(local_cloud: LocalCloud) -> None:
    store_id = f"e2e-{uuid4().hex[:10]}"  # a tenant of its own: the demo store stays untouched
    demo = local_cloud.demo
    product = copy.deepcopy(demo["products"][0])
    product["slug"] = "negative-stock-sword"
    product["variants"] = [{"id": "default", "sku": "E2E-NEG", "stock_on_hand": -1}]
    payload = {"store": demo["store"] | {"id": store_id}, "categories": demo["categories"], "products": [product]}

    execution = run_to_completion(local_cloud, payload)

    assert execution["status"] == "FAILED"
    assert execution["error"] == "CatalogImportFailed"  # the Fail state the ASL Catch routes to
    history = local_cloud.client("stepfunctions").get_execution_history(
        executionArn=execution["executionArn"], maxResults=1000
    )["events"]
    failures = [e["taskFailedEventDetails"] for e in history if e["type"] == "TaskFailed"]
    assert failures, [e["type"] for e in history]
    # The handler's exception came back as a Lambda function error, with its type and message.
    cause = json.loads(failures[0]["cause"])
    assert failures[0]["error"] == cause["errorType"]
    assert "stock_on_hand" in cause["errorMessage"]

    dynamodb = local_cloud.client("dynamodb")
    products = dynamodb.query(
        TableName=local_cloud.names["CatalogTable"],
        KeyConditionExpression="pk = :pk AND begins_with(sk, :product)",
        ExpressionAttributeValues={":pk": {"S": store_id}, ":product": {"S": "PRODUCT#"}},
        ConsistentRead=True,
    )["Items"]
    assert products == []
    listing = local_cloud.get_json(f"/stores/{store_id}/products")  # the store step did run
    assert listing == {"items": [], "next_cursor": None}
