"""A cart is in one live checkout at most: a double-clicked "Pay" whose client mints a key per click, or ten
tabs checking out at once, make one checkout, one hold of the stock and (for a card) one payment."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.kernel.adapters.dynamo import from_item
from tests.functional.harness import STORE, Cloud, concurrently
from tests.functional.test_carts import GILDED, guest_cart
from tests.functional.test_checkout import check_out, reserved, status, step

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    from tests.functional.harness import seed_store

    seed_store(cloud)
    return cloud


def checkouts(cloud: Cloud) -> list[dict[str, Any]]:
    return [from_item(i) for i in cloud.all_items("OrdersTable") if i["sk"]["S"].startswith("CHECKOUT#")]


def test_ten_concurrent_checkouts_of_one_cart_with_ten_keys_make_one_checkout(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add(quantity=2)

    answers = concurrently([lambda i=i: check_out(cart, f"click-key-{i:04d}") for i in range(10)])  # type: ignore[misc]

    assert {a.status for a in answers} == {202}, [a.body for a in answers]
    assert len({a.body["id"] for a in answers}) == 1  # each click is told about the same checkout
    assert len(checkouts(shop)) == 1
    the_one = answers[0].body["id"]
    step(shop, "reserve", the_one)
    assert reserved(shop)["standard"] == 2  # held once


def test_another_request_for_a_cart_being_checked_out_is_409_naming_the_live_checkout(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    first = check_out(cart, "key-first-0001").body["id"]

    other = check_out(cart, "key-second-002", shipping_method="express")

    assert other.status == 409
    assert other.body["error"]["code"] == "checkout_in_progress"
    assert other.headers["location"] == f"/stores/{STORE}/checkouts/{first}"
    assert first in other.body["error"]["message"]
    assert len(checkouts(shop)) == 1


def test_a_cart_changed_while_its_checkout_is_live_cannot_start_a_second_one(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    first = check_out(cart, "key-first-0001").body["id"]
    step(shop, "reserve", first)
    assert cart.add(variant=GILDED).status == 200  # another tab adds a line; the live checkout keeps its lines

    again = check_out(cart, "key-second-002")

    assert again.status == 409 and again.body["error"]["code"] == "checkout_in_progress"
    assert len(status(shop, first)["items"]) == 1


def test_a_failed_checkout_frees_the_cart_for_the_next_one(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    first = check_out(cart, "key-first-0001").body["id"]
    step(shop, "reserve", first)
    step(shop, "abandon", first, error={"Error": "PaymentFailed", "Cause": "card_declined"})

    second = check_out(cart, "key-second-002")

    assert second.status == 202 and second.body["id"] != first
    assert status(shop, first)["status"] == "failed"


def test_a_claim_left_by_a_checkout_that_ended_is_taken_over(shop: Cloud) -> None:
    """The release after a failure is itself a write that can fail: the next checkout must not depend on it."""
    cart = guest_cart(shop)
    cart.add()
    first = check_out(cart, "key-first-0001").body["id"]
    step(shop, "abandon", first, error=None)
    shop.client("dynamodb").update_item(  # as if the release after the failure never happened
        TableName=shop.names["CartsTable"],
        Key={"pk": {"S": STORE}, "sk": {"S": f"CART#guest:{cart.params['session']}"}},
        UpdateExpression="SET checkout_id = :c",
        ExpressionAttributeValues={":c": {"S": first}},
    )

    second = check_out(cart, "key-second-002")

    assert second.status == 202 and second.body["id"] != first


def test_a_placed_order_whose_cart_changed_meanwhile_leaves_the_new_lines_free_to_check_out(shop: Cloud) -> None:
    cart = guest_cart(shop)
    cart.add()
    first = check_out(cart, "key-first-0001").body["id"]
    outcome = step(shop, "reserve", first)
    step(shop, "place_order", first)
    cart.add(variant=GILDED)  # another tab, meanwhile

    assert step(shop, "clear_cart", first, cart=outcome["cart"]) == {"cleared": False}
    second = check_out(cart, "key-second-002")

    assert second.status == 202 and second.body["id"] != first


def test_a_checkout_whose_workflow_cannot_start_fails_and_frees_the_cart(
    shop: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nozzly.sales.adapters.workflows import CheckoutWorkflow

    def unreachable(self: CheckoutWorkflow, store_id: str, checkout_id: str) -> None:
        raise ConnectionError("Step Functions did not answer")

    cart = guest_cart(shop)
    cart.add()
    real_start = CheckoutWorkflow.start
    monkeypatch.setattr(CheckoutWorkflow, "start", unreachable)
    first = check_out(cart, "key-first-0001")
    monkeypatch.setattr(CheckoutWorkflow, "start", real_start)

    assert first.status == 500 and first.body["error"]["code"] == "internal_error"
    (stored,) = checkouts(shop)
    assert stored["status"] == "failed" and stored["reason"].startswith("The checkout could not start")
    assert check_out(cart, "key-first-0001").body["status"] == "failed"  # its retry reads what became of it
    assert check_out(cart, "key-second-002").status == 202  # the cart is free
