"""Operator calls of the OrderFulfilment function and the "fulfil order" workflow run the way its state machine
runs it (the in-process moto records executions; the tests run their steps).

Imported as `tests.functional.fulfilment_helpers`.
"""

from __future__ import annotations

import json
from typing import Any

from nozzly.kernel.adapters.dynamo import from_item
from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse
from tests.functional.store_helpers import ALICE, BOB, CAROL, claims

OWNER, ADMIN, STAFF, STRANGER = ALICE, BOB, CAROL, "0f1e2d3c-dddd-4000-8000-000000000004"


def add_team(cloud: Cloud) -> None:
    for sub, role in ((OWNER, "owner"), (ADMIN, "admin"), (STAFF, "staff")):
        item = {"pk": STORE, "sk": f"MEMBER#{sub}", "type": "member", "sub": sub, "role": role, "store_name": "MF"}
        cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})


def operator_call(
    cloud: Cloud,
    route: str,
    order: str,
    *,
    sub: str | None = OWNER,
    body: Any = None,
    key: str | None = None,
    **path: str,
) -> HttpResponse:
    """`route` relative to the order, e.g. "POST /fulfilments" or "PATCH /fulfilments/{fulfilment}"."""
    method, _, suffix = route.partition(" ")
    event = api_event(
        f"{method} /admin/stores/{{store}}/orders/{{order}}{suffix}",
        path_parameters={"store": STORE, "order": order} | path,
        body=body,
        headers={"idempotency-key": key} if key else None,
        claims=claims(sub) if sub else None,
    )
    return cloud.http("OrderFulfilment", event)


def executions(cloud: Cloud) -> list[dict[str, Any]]:
    """Every execution of the fulfilment workflow, oldest first: name and input."""
    sfn = cloud.client("stepfunctions")
    arn = cloud.environments["OrderFulfilment"]["FULFILMENT_STATE_MACHINE_ARN"]
    listed = sfn.list_executions(stateMachineArn=arn)["executions"]
    found = [sfn.describe_execution(executionArn=e["executionArn"]) for e in listed]
    return sorted(
        ({"name": e["name"], "input": json.loads(e["input"]), "started": e["startDate"]} for e in found),
        key=lambda e: e["started"],
    )


def run_workflow(cloud: Cloud, execution_input: dict[str, Any]) -> dict[str, Any]:
    """Commit then MarkShipped, as the state machine passes its input to each task; Commit's result is what
    Notify announces."""
    committed = cloud.invoke("FulfilmentSteps", {"step": "commit"} | execution_input)
    cloud.invoke("FulfilmentSteps", {"step": "mark_shipped"} | execution_input)
    result: dict[str, Any] = committed
    return result


def stock(cloud: Cloud, slug: str = "ember-longsword", variant: str = "standard") -> tuple[int, int]:
    """(on hand, reserved) of a variant."""
    item = cloud.item("CatalogTable", STORE, f"PRODUCT#{slug}")
    assert item is not None
    found = next(v for v in from_item(item)["variants"] if v["id"] == variant)
    return int(found["stock_on_hand"]), int(found.get("reserved", 0))
