"""CartCleanup on its schedule: stale carts of every store are deleted; live carts, and carts a shopper touched
between the job finding them and deleting them, stay."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pytest

from nozzly.sales.adapters.carts import CartsRepository, StaleCart
from nozzly.sales.domain.carts import Cart, CartOwner
from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, load_event, seed_store

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
HOUR = 3600


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    return cloud


def session(cloud: Cloud) -> str:
    answer = cloud.http("ShopperAccount", api_event("POST /stores/{store}/sessions", path_parameters={"store": STORE}))
    assert answer.status == 201, answer.body
    return str(answer.body["session_id"])


def add_item(cloud: Cloud, session_id: str) -> dict[str, Any]:
    params = {"store": STORE, "session": session_id}
    body = {"product": "oaken-buckler", "quantity": 1}
    answer = cloud.http(
        "Carts", api_event("POST /stores/{store}/carts/{session}/items", path_parameters=params, body=body)
    )
    assert answer.status == 200, answer.body
    found: dict[str, Any] = answer.body
    return found


def saved_long_ago(cloud: Cloud, owner_id: str, expired_for: int, store: str = STORE) -> None:
    """A cart as a shopper left it, last changed (24 h + expired_for) seconds ago."""
    changed = int(time.time()) - 24 * HOUR - expired_for
    cart = replace(
        Cart.empty(store, CartOwner.GUEST, owner_id, "EUR"), updated_at=changed, expires_at=changed + 24 * HOUR
    )
    CartsRepository(cloud.names["CartsTable"]).save(cart)


def carts(cloud: Cloud) -> list[str]:
    return [i["sk"]["S"] for i in cloud.all_items("CartsTable")]


def run_cleanup(cloud: Cloud) -> dict[str, Any]:
    result: dict[str, Any] = cloud.invoke("CartCleanup", load_event("cart_cleanup_scheduled.json"))
    return result


def test_stale_carts_of_every_store_go_and_live_ones_stay(shop: Cloud) -> None:
    live = session(shop)
    add_item(shop, live)
    saved_long_ago(shop, "an-hour-ago", expired_for=HOUR)
    saved_long_ago(shop, "two-days-ago", expired_for=48 * HOUR)
    saved_long_ago(shop, "a-minute-ago", expired_for=60)
    saved_long_ago(shop, "elsewhere", expired_for=5 * HOUR, store="ashgrove-armoury")

    report = run_cleanup(shop)

    assert carts(shop) == [f"CART#guest:{live}"]
    assert (report["deleted"], report["kept"], report["complete"]) == (4, 0, True)
    assert run_cleanup(shop)["deleted"] == 0  # nothing left to do


def test_a_cart_that_expires_later_this_hour_stays(shop: Cloud) -> None:
    # Expired carts share their expiry hour with carts still live: only the expiry itself decides.
    saved_long_ago(shop, "in-a-minute", expired_for=-60)

    assert run_cleanup(shop)["deleted"] == 0
    assert carts(shop) == ["CART#guest:in-a-minute"]


def test_a_cart_the_shopper_touches_while_the_job_runs_survives(shop: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    returning = session(shop)
    saved_long_ago(shop, returning, expired_for=2 * HOUR)
    saved_long_ago(shop, "abandoned", expired_for=2 * HOUR)
    delete = CartsRepository.delete_stale

    def shopper_comes_back_first(self: CartsRepository, stale: StaleCart, now: float) -> bool:
        if stale.cart_id == f"guest:{returning}":
            add_item(shop, returning)  # between the job's query and its delete
            shop.apply_environment(shop.environments["CartCleanup"])
        return delete(self, stale, now)

    monkeypatch.setattr(CartsRepository, "delete_stale", shopper_comes_back_first)

    report = run_cleanup(shop)

    assert (report["deleted"], report["kept"]) == (1, 1)
    assert carts(shop) == [f"CART#guest:{returning}"]
    monkeypatch.undo()
    params = {"store": STORE, "session": returning}
    kept = shop.http("Carts", api_event("GET /stores/{store}/carts/{session}", path_parameters=params)).body
    assert [(i["product"], i["quantity"]) for i in kept["items"]] == [("oaken-buckler", 1)]


def test_a_cart_written_through_the_api_is_found_once_it_expires(shop: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    shopper = session(shop)
    add_item(shop, shopper)
    assert run_cleanup(shop)["deleted"] == 0
    later = time.time() + 25 * HOUR
    monkeypatch.setattr(time, "time", lambda: later)  # the job runs a day and an hour later

    report = run_cleanup(shop)

    assert report["deleted"] == 1
    assert carts(shop) == []
