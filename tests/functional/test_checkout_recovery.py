"""The recovery sweep (CheckoutSteps' schedule): no checkout stays processing or holds stock forever, whatever
stopped its workflow, and a checkout that is fine is left alone."""

from __future__ import annotations

import time
from typing import Any

import pytest

from nozzly.kernel.adapters.dynamo import from_item
from nozzly.promotions.adapters.coupons import CouponsRepository
from nozzly.promotions.domain.coupons import Coupon, CouponKind
from tests.functional.harness import STORE, Cloud, seed_store
from tests.functional.test_carts import guest_cart
from tests.functional.test_checkout import check_out, reserved, status, step

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    CouponsRepository(cloud.names["StoresTable"]).create(
        Coupon(STORE, "ONCE", CouponKind.FIXED, 500, "EUR", max_uses=1)
    )
    return cloud


def sweep(cloud: Cloud) -> dict[str, int]:
    result: dict[str, int] = cloud.invoke("CheckoutSteps", {"step": "recover"})
    return result


def started_ago(cloud: Cloud, checkout: str, seconds: int) -> None:
    """As if the checkout had been written `seconds` ago."""
    then = int(time.time()) - seconds
    cloud.client("dynamodb").update_item(
        TableName=cloud.names["OrdersTable"],
        Key={"pk": {"S": STORE}, "sk": {"S": f"CHECKOUT#{checkout}"}},
        UpdateExpression="SET created_at = :t, live_since = :s",
        ExpressionAttributeValues={":t": {"N": str(then)}, ":s": {"S": f"{then:010d}#{checkout}"}},
    )


def execution(cloud: Cloud, checkout: str) -> dict[str, Any] | None:
    sfn = cloud.client("stepfunctions")
    arn = f"arn:aws:states:us-east-1:123456789012:execution:{cloud.names['CheckoutStateMachine']}:{checkout}"
    try:
        found: dict[str, Any] = sfn.describe_execution(executionArn=arn)
    except sfn.exceptions.ExecutionDoesNotExist:
        return None
    return found


def checkout_with_a_coupon(cloud: Cloud, key: str = "key-recover-001") -> tuple[str, Any]:
    cart = guest_cart(cloud)
    cart.add(quantity=2)
    assert cart.call("PUT", "/coupon", {"code": "ONCE"}).status == 200
    started = check_out(cart, key)
    assert started.status == 202, started.body
    return str(started.body["id"]), cart


def coupon_uses(cloud: Cloud) -> int:
    coupon = CouponsRepository(cloud.names["StoresTable"]).get(STORE, "ONCE")
    assert coupon is not None
    return coupon.uses


@pytest.fixture
def lost_start(monkeypatch: pytest.MonkeyPatch) -> None:
    """The function stopped between storing the checkout and starting its execution (a crash, a timeout)."""
    from nozzly.sales.adapters.workflows import CheckoutWorkflow

    monkeypatch.setattr(CheckoutWorkflow, "start", lambda self, store_id, checkout_id: None)


def test_a_checkout_whose_execution_never_started_is_started(shop: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    from nozzly.sales.adapters.workflows import CheckoutWorkflow

    real_start = CheckoutWorkflow.start
    monkeypatch.setattr(CheckoutWorkflow, "start", lambda self, store_id, checkout_id: None)
    checkout, _ = checkout_with_a_coupon(shop)
    monkeypatch.setattr(CheckoutWorkflow, "start", real_start)
    assert execution(shop, checkout) is None
    started_ago(shop, checkout, 120)

    assert sweep(shop) == {"started": 1}
    started = execution(shop, checkout)
    assert started is not None and started["status"] == "RUNNING"
    assert status(shop, checkout)["status"] == "processing"


@pytest.mark.usefixtures("lost_start")
def test_a_checkout_never_started_and_long_abandoned_is_failed_and_frees_its_cart(shop: Cloud) -> None:
    checkout, cart = checkout_with_a_coupon(shop)
    started_ago(shop, checkout, 3600)

    assert sweep(shop) == {"compensated": 1}

    assert status(shop, checkout)["status"] == "failed"
    assert check_out(cart, "key-recover-002").status == 202
    assert coupon_uses(shop) == 0


def test_stock_held_by_an_execution_that_died_is_released(shop: Cloud) -> None:
    checkout, cart = checkout_with_a_coupon(shop)
    step(shop, "reserve", checkout)
    assert reserved(shop)["standard"] == 2 and coupon_uses(shop) == 1
    found = execution(shop, checkout)
    assert found is not None
    shop.client("stepfunctions").stop_execution(executionArn=found["executionArn"])  # ended without compensating
    started_ago(shop, checkout, 120)

    assert sweep(shop) == {"compensated": 1}

    assert status(shop, checkout)["status"] == "failed"
    assert reserved(shop)["standard"] == 0 and coupon_uses(shop) == 0
    assert check_out(cart, "key-recover-002").status == 202
    assert sweep(shop) == {}  # nothing left to do, and nothing done twice
    assert reserved(shop)["standard"] == 0


def test_a_running_checkout_is_left_alone_until_it_outlives_every_timeout(shop: Cloud) -> None:
    checkout, _ = checkout_with_a_coupon(shop)
    step(shop, "reserve", checkout)
    started_ago(shop, checkout, 600)  # waiting for the payment, within the 15 minutes it has

    assert sweep(shop) == {"running": 1}
    assert reserved(shop)["standard"] == 2

    started_ago(shop, checkout, 900 + 900 + 60)  # the payment's timeout and every step's, long past
    assert sweep(shop) == {"compensated": 1}
    found = execution(shop, checkout)
    assert found is not None and found["status"] == "ABORTED"
    assert reserved(shop)["standard"] == 0 and status(shop, checkout)["status"] == "failed"


def test_placed_and_failed_checkouts_leave_the_live_index(shop: Cloud) -> None:
    placed, _ = checkout_with_a_coupon(shop, "key-recover-011")
    outcome = step(shop, "reserve", placed)
    step(shop, "place_order", placed)
    step(shop, "clear_cart", placed, cart=outcome["cart"])
    failed_cart = guest_cart(shop)
    failed_cart.add()
    failed = check_out(failed_cart, "key-recover-012").body["id"]
    step(shop, "abandon", failed, error=None)

    for checkout in (placed, failed):
        item = shop.item("OrdersTable", STORE, f"CHECKOUT#{checkout}")
        assert item is not None
        assert "live_shard" not in from_item(item)
        started_ago(shop, checkout, 3600)
    assert sweep(shop) == {}
