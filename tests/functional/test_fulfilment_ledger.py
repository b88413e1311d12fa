"""Stock a fulfilment ships is in the variant's stock ledger (GET .../stock-adjustments): one entry per variant,
written in the Commit step's transaction, so exactly once however often the step runs; operators still cannot
post that reason themselves."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.domain.catalog import Product
from tests.functional.auth_helpers import api_event
from tests.functional.fulfilment_helpers import OWNER, STAFF, add_team, executions, operator_call, run_workflow, stock
from tests.functional.harness import STORE, Cloud, HttpResponse, seed_store
from tests.functional.order_helpers import place_order, stored_order
from tests.functional.store_helpers import claims
from tests.functional.test_carts import guest_cart

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
SWORD = {"product": "ember-longsword", "variant": "standard"}
ON_HAND = 12  # the seeded Ember Longsword, standard
ADJUSTMENTS = "/admin/stores/{store}/products/{product}/variants/{variant}/stock-adjustments"


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    add_team(cloud)
    return cloud


def catalog_call(cloud: Cloud, method: str, body: Any = None, sub: str = OWNER) -> HttpResponse:
    event = api_event(
        f"{method} {ADJUSTMENTS}", path_parameters={"store": STORE} | SWORD, body=body, claims=claims(sub)
    )
    return cloud.http("CatalogAdmin", event)


def ledger(cloud: Cloud) -> list[dict[str, Any]]:
    listed = catalog_call(cloud, "GET")
    assert listed.status == 200, listed.body
    items: list[dict[str, Any]] = listed.body["items"]
    return items


def shipped(cloud: Cloud, order: str, key: str, quantity: int) -> str:
    accepted = operator_call(
        cloud, "POST /fulfilments", order, body={"lines": [SWORD | {"quantity": quantity}]}, key=key, sub=STAFF
    )
    assert accepted.status == 202, accepted.body
    return str(accepted.body["fulfilment"]["id"])


def test_shipped_stock_is_one_ledger_entry_per_fulfilment_even_when_commit_runs_again(shop: Cloud) -> None:
    order = place_order(guest_cart(shop), quantity=3)
    number = stored_order(shop, order)["number"]
    first = shipped(shop, order, "ship-key-001", 1)
    run_workflow(shop, executions(shop)[0]["input"])
    run_workflow(shop, executions(shop)[0]["input"])  # Commit retried after it had done its work
    received = catalog_call(shop, "POST", {"delta": 5, "reason": "received", "note": "PO 9"})
    assert received.status == 201, received.body
    second = shipped(shop, order, "ship-key-002", 2)
    run_workflow(shop, executions(shop)[1]["input"])

    entries = ledger(shop)

    assert stock(shop) == (ON_HAND + 5 - 3, 0)
    assert [(e["delta"], e["reason"], e["source"], e["on_hand_after"]) for e in entries] == [
        (-2, "fulfilment", "fulfilment", ON_HAND - 1 + 5 - 2),
        (5, "received", "operator", ON_HAND - 1 + 5),
        (-1, "fulfilment", "fulfilment", ON_HAND - 1),
    ]
    newest, operators, oldest = entries
    assert newest["shipment"] == {"order": order, "order_number": number, "fulfilment": second}
    assert oldest["shipment"] == {"order": order, "order_number": number, "fulfilment": first}
    assert (oldest["by"], oldest["id"]) == (STAFF, first) and str(number) in oldest["note"]
    assert operators["shipment"] is None and operators["by"] == OWNER


def test_commits_running_at_once_enter_the_shipment_once(shop: Cloud) -> None:
    order = place_order(guest_cart(shop), quantity=3)
    shipped(shop, order, "ship-key-001", 2)
    payload = {"step": "commit"} | executions(shop)[0]["input"]
    start = threading.Barrier(3)

    def commit() -> None:
        start.wait()  # a retry started while the first attempt was still running (a Lambda timeout)
        shop.invoke("FulfilmentSteps", payload)

    threads = [threading.Thread(target=commit) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert [(e["delta"], e["on_hand_after"]) for e in ledger(shop)] == [(-2, ON_HAND - 2)]
    assert stock(shop) == (ON_HAND - 2, 1)


def test_stock_received_while_committing_leaves_the_ledger_right(shop: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    order = place_order(guest_cart(shop), quantity=3)
    shipped(shop, order, "ship-key-001", 1)
    read = CatalogRepository.products_by_slug
    interrupted: list[int] = []

    def read_then_receive(self: CatalogRepository, store_id: str, slugs: Any) -> dict[str, Product]:
        found = read(self, store_id, slugs)
        if not interrupted:  # goods in between the commit's read and its write
            interrupted.append(catalog_call(shop, "POST", {"delta": 4, "reason": "received"}).status)
        return found

    monkeypatch.setattr(CatalogRepository, "products_by_slug", read_then_receive)
    run_workflow(shop, executions(shop)[0]["input"])

    assert interrupted == [201] and stock(shop) == (ON_HAND + 4 - 1, 2)
    assert [(e["delta"], e["reason"], e["on_hand_after"]) for e in ledger(shop)] == [
        (-1, "fulfilment", ON_HAND + 4 - 1),
        (4, "received", ON_HAND + 4),
    ]


def test_operators_cannot_post_the_fulfilment_reason(shop: Cloud) -> None:
    posted = catalog_call(shop, "POST", {"delta": -1, "reason": "fulfilment"}, sub=STAFF)

    assert posted.status == 400, posted.body
    assert [f["field"] for f in posted.body["error"]["fields"]] == ["reason"]
    assert ledger(shop) == [] and stock(shop) == (ON_HAND, 0)


def test_a_fulfilment_too_large_for_one_commit_is_refused_at_once(shop: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    from nozzly.orders.services import order_fulfilment

    order = place_order(guest_cart(shop), quantity=3)
    # The order, the product and the ledger entry: one write more than this budget allows.
    monkeypatch.setattr(order_fulfilment, "MAX_COMMIT_WRITES", 2)

    refused = operator_call(shop, "POST /fulfilments", order, body={}, key="ship-key-001")

    assert refused.status == 400, refused.body
    assert (
        refused.body["error"]["fields"][0]["field"] == "lines" and "two fulfilments" in refused.body["error"]["message"]
    )
    assert executions(shop) == [] and stock(shop) == (ON_HAND, 3) and ledger(shop) == []
