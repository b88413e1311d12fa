"""What became of a fulfilment (GET .../fulfilments/{fulfilment}): recorded once on the order, requested while
its workflow execution runs, refused (with the state machine's error and cause) when the execution ended without
committing anything; 404 for a fulfilment this order never had."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from moto.stepfunctions.models import stepfunctions_backends

from localcloud.template import ACCOUNT_ID, REGION
from nozzly.kernel.domain.errors import Conflict
from tests.functional.fulfilment_helpers import (
    ADMIN,
    STAFF,
    STRANGER,
    add_team,
    executions,
    operator_call,
    run_workflow,
    stock,
)
from tests.functional.harness import Cloud, HttpResponse, seed_store
from tests.functional.order_helpers import place_order
from tests.functional.test_carts import guest_cart

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
SWORD = {"product": "ember-longsword", "variant": "standard"}
ON_HAND = 12  # the seeded Ember Longsword, standard
ASL = Path(__file__).parents[2] / "statemachines" / "fulfilment.asl.json"


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    add_team(cloud)
    return cloud


def requested(cloud: Cloud, order: str, key: str, body: dict[str, Any]) -> str:
    accepted = operator_call(cloud, "POST /fulfilments", order, body=body, key=key)
    assert accepted.status == 202, accepted.body
    return str(accepted.body["fulfilment"]["id"])


def look(cloud: Cloud, order: str, fulfilment: str, sub: str | None = STAFF) -> HttpResponse:
    return operator_call(cloud, "GET /fulfilments/{fulfilment}", order, sub=sub, fulfilment=fulfilment)


def end_as_refused(cloud: Cloud, name: str) -> dict[str, str]:
    """The execution ended as the state machine ends a refused commit (its FulfilmentRefused Fail state): the
    in-process emulator records executions without running them."""
    refused: dict[str, str] = json.loads(ASL.read_text())["States"]["FulfilmentRefused"]
    arn = cloud.environments["OrderFulfilment"]["FULFILMENT_STATE_MACHINE_ARN"]
    execution = stepfunctions_backends[ACCOUNT_ID][REGION].describe_execution(
        arn.replace(":stateMachine:", ":execution:", 1) + f":{name}"
    )
    execution.status, execution.error, execution.cause = "FAILED", refused["Error"], refused["Cause"]
    execution.stop_date = datetime.now(UTC)
    return refused


def test_a_fulfilment_is_requested_while_its_workflow_runs_then_recorded(shop: Cloud) -> None:
    order = place_order(guest_cart(shop), quantity=3)
    body = {"lines": [SWORD | {"quantity": 1}], "carrier": "dhl", "tracking_number": "JD0146"}
    fid = requested(shop, order, "ship-key-001", body)

    running = look(shop, order, fid)
    run_workflow(shop, executions(shop)[0]["input"])
    recorded = look(shop, order, fid, sub=ADMIN)

    assert running.status == 200, running.body
    assert (running.body["id"], running.body["state"], running.body["refusal"]) == (fid, "requested", None)
    assert running.body["lines"] == [SWORD | {"quantity": 1}] and running.body["carrier"] == "dhl"
    assert running.body["tracking_url"].endswith("tracking-id=JD0146")
    assert recorded.status == 200, recorded.body
    assert (recorded.body["id"], recorded.body["state"], recorded.body["refusal"]) == (fid, "recorded", None)
    assert recorded.body["lines"] == [SWORD | {"quantity": 1}] and recorded.body["tracking_number"] == "JD0146"


def test_a_fulfilment_the_workflow_refused_says_refused_and_why(shop: Cloud) -> None:
    order = place_order(guest_cart(shop), quantity=3)
    fid = requested(shop, order, "ship-key-001", {"lines": [SWORD | {"quantity": 2}]})
    cancelled = operator_call(shop, "POST /status", order, body={"status": "cancelled", "note": "shopper phoned"})
    assert cancelled.status == 200, cancelled.body
    with pytest.raises(Conflict):  # the Commit step refuses; the state machine catches it
        run_workflow(shop, executions(shop)[0]["input"])
    fail_state = end_as_refused(shop, fid)

    refused = look(shop, order, fid)

    assert refused.status == 200, refused.body
    assert (refused.body["id"], refused.body["state"]) == (fid, "refused")
    assert refused.body["lines"] == [SWORD | {"quantity": 2}]  # what was asked for; none of it shipped
    why = refused.body["refusal"]
    assert (why["error"], why["cause"]) == (fail_state["Error"], fail_state["Cause"]) and why["at"]
    assert stock(shop) == (ON_HAND, 0)


def test_an_aborted_execution_is_refused_too(shop: Cloud) -> None:
    order = place_order(guest_cart(shop))
    fid = requested(shop, order, "ship-key-001", {})
    sfn = shop.client("stepfunctions")
    arn = shop.environments["OrderFulfilment"]["FULFILMENT_STATE_MACHINE_ARN"]
    sfn.stop_execution(executionArn=arn.replace(":stateMachine:", ":execution:", 1) + f":{fid}")

    aborted = look(shop, order, fid)

    assert aborted.status == 200, aborted.body
    assert aborted.body["state"] == "refused" and aborted.body["refusal"]["error"] == "aborted"


def test_a_fulfilment_this_order_never_had_is_404(shop: Cloud) -> None:
    first = place_order(guest_cart(shop))
    second = place_order(guest_cart(shop))
    fid = requested(shop, first, "ship-key-001", {})

    unknown = look(shop, first, "ff-0000")
    elsewhere = look(shop, second, fid)  # another order's fulfilment
    no_order = look(shop, "no-such-order", fid)
    malformed = look(shop, first, "ff:0000")

    for missing in (unknown, elsewhere):
        assert missing.status == 404, missing.body
        assert missing.body["error"]["fields"][0]["field"] == "fulfilment"
    assert no_order.status == 404 and no_order.body["error"]["fields"][0]["field"] == "order"
    assert malformed.status == 400


def test_only_the_stores_team_sees_its_fulfilments(shop: Cloud) -> None:
    order = place_order(guest_cart(shop))
    fid = requested(shop, order, "ship-key-001", {})

    stranger = look(shop, order, fid, sub=STRANGER)
    nobody = look(shop, order, fid, sub=None)

    assert stranger.status == 404 and stranger.body["error"]["fields"][0]["field"] == "store"
    assert "lines" not in stranger.body
    assert nobody.status == 401
    assert look(shop, order, fid, sub=STAFF).status == 200
