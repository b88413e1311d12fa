"""Operators' manual orders through the ManualOrders function: stock held as at checkout, the order readable by
operators (OrderPayments) and its shopper, idempotent retries, refused requests that change nothing, who may."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from nozzly.kernel.adapters.dynamo import from_item
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.orders.domain.order_events import OrderEvent, order_events
from tests.functional.auth_helpers import api_event, outbox
from tests.functional.harness import STORE, Cloud, HttpResponse, seed_store
from tests.functional.order_helpers import RecordingGateway, reserved, shopper_call, stored_order, use_gateway
from tests.functional.store_helpers import ALICE, BOB, CAROL, claims
from tests.functional.test_carts import CartApi, shopper_cart

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
OWNER, ADMIN, STAFF = ALICE, BOB, CAROL
ADDRESS = {"name": "Sam Shopper", "line1": "Hauptstrasse 1", "city": "Berlin", "postal_code": "10115", "country": "DE"}
PHONE_SALE: dict[str, Any] = {
    "channel": "manual",
    "email": "sam@example.com",
    "lines": [{"product": "ember-longsword", "variant": "standard", "quantity": 2}],
    "shipping_address": ADDRESS,
    "shipping_method": "standard",
    "payment": "awaiting_payment",
    "note": "ordered by phone",
}
PHONE_SALE_TOTAL = 31285  # 2 x 129.00 + standard shipping 4.90, 19 % VAT


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    seed_store(cloud)
    for sub, role in ((OWNER, "owner"), (ADMIN, "admin"), (STAFF, "staff")):
        item = {"pk": STORE, "sk": f"MEMBER#{sub}", "type": "member", "sub": sub, "role": role, "store_name": "MF"}
        cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})
    return cloud


def announced(cloud: Cloud, order_id: str) -> list[OrderEvent]:
    """What OrderEvents puts on the bus for the order's creation, as the table's stream shows it (the stream
    relay itself is tested in test_order_events.py)."""
    order = OrdersRepository(cloud.names["OrdersTable"]).get(STORE, order_id)
    assert order is not None
    return order_events(None, order)


def create(
    cloud: Cloud, body: Any, key: str | None = "manual-key-0001", *, sub: str | None = OWNER, store: str = STORE
) -> HttpResponse:
    event = api_event(
        "POST /admin/stores/{store}/orders",
        path_parameters={"store": store},
        body=body,
        headers={"idempotency-key": key} if key is not None else None,
        claims=claims(sub) if sub else None,
    )
    return cloud.http("ManualOrders", event)


def read(cloud: Cloud, order: str, sub: str = STAFF) -> HttpResponse:
    event = api_event(
        "GET /admin/stores/{store}/orders/{order}",
        path_parameters={"store": STORE, "order": order},
        claims=claims(sub),
    )
    return cloud.http("OrderPayments", event)


def order_items(cloud: Cloud) -> list[dict[str, Any]]:
    """Orders, manual order records and purchase records."""
    items = [from_item(i) for i in cloud.all_items("OrdersTable")]
    return [i for i in items if i["sk"].startswith(("ORDER#", "MANUAL#", "PURCHASE#"))]


def next_number(cloud: Cloud) -> int:
    item = cloud.item("StoresTable", STORE, "SEQUENCE#order")
    return int(from_item(item)["next"]) if item else 1001


def nothing_written(cloud: Cloud) -> bool:
    """No order, record or purchase, no order number taken and no stock held."""
    return (order_items(cloud), next_number(cloud), reserved(cloud)) == ([], 1001, {"standard": 0, "gilded": 0})


def test_a_phone_order_holds_its_stock_and_operators_read_it_with_its_timeline(shop: Cloud) -> None:
    created = create(shop, PHONE_SALE)

    assert created.status == 201, created.body
    order = created.body
    assert created.headers["location"] == f"/admin/stores/{STORE}/orders/{order['id']}"
    assert (order["number"], order["status"], order["payment_state"], order["payment_method"]) == (
        1001,
        "pending",
        "awaiting_payment",
        "offline",
    )
    assert [(x["product"], x["variant_id"], x["quantity"], x["unit_price"]["amount"]) for x in order["items"]] == [
        ("ember-longsword", "standard", 2, 12900)
    ]
    assert (order["totals"]["shipping"]["amount"], order["totals"]["total"]["amount"]) == (490, PHONE_SALE_TOTAL)
    assert (order["customer"], order["refundable"]["amount"], order["cancellable"]) == (None, 0, True)
    assert reserved(shop) == {"standard": 2, "gilded": 0}  # on hand stays 12 until fulfilment commits it
    stored = stored_order(shop, order["id"])
    assert (stored["channel"], stored["created_at"]) == ("manual", stored["timeline"][0]["at"])
    assert stored["timeline"][0] | {"at": 0} == {
        "at": 0,
        "by": f"operator:{OWNER}",
        "kind": "placed",
        "text": "Order #1001 entered by an operator (manual order, payment to be collected): ordered by phone",
        "to": "pending",
    }
    fetched = read(shop, order["id"])
    assert fetched.status == 200 and fetched.body == order
    assert [(e.detail_type, e.detail) for e in announced(shop, order["id"])] == [
        ("OrderPlaced", {"store_id": STORE, "order_id": order["id"], "order_number": 1001, "channel": "manual"})
    ]


def test_the_announced_order_gets_its_confirmation_email_once(shop: Cloud) -> None:
    order = create(shop, PHONE_SALE).body
    (placed,) = announced(shop, order["id"])
    event: dict[str, Any] = {"version": "0", "id": "e-1", "detail-type": placed.detail_type, "source": "nozzly.orders"}
    event |= {"detail": placed.detail, "account": "123456789012", "time": "2026-11-22T06:00:00Z"}
    event |= {"region": "us-east-1", "resources": []}

    first, again = shop.invoke("OrderEmails", event), shop.invoke("OrderEmails", event)

    assert (first, again) == ({"outcome": "sent"}, {"outcome": "already sent"})
    (sent,) = outbox("sam@example.com")
    assert sent.subject == f"Your Mystmere Forge order #{order['number']}"
    assert "2 &times; Ember Longsword" in sent.body and "312.85 EUR" in sent.body
    assert "still to be paid" in sent.body and "pay on delivery" not in sent.body  # a phone order, not COD


def test_a_counter_sale_for_a_shopper_is_paid_handed_over_and_in_their_account(shop: Cloud) -> None:
    cart = shopper_cart(shop, "kim@example.com")
    sub = cart.claims["sub"] if cart.claims else ""
    sale = {
        "channel": "pos",
        "email": "kim@example.com",
        "customer_id": sub,
        "lines": [
            {"product": "oaken-buckler", "quantity": 1},
            {"product": "ember-longsword", "variant": "gilded", "quantity": 1},
        ],
        "shipping_address": ADDRESS,
        "payment": "paid",
    }

    created = create(shop, sale, sub=STAFF)

    assert created.status == 201, created.body
    order = created.body
    assert (order["customer"], order["payment_state"], order["shipping_method"]) == (sub, "paid", "in_person")
    assert order["totals"]["total"]["amount"] == 25942  # (59.00 + 159.00) x 1.19, no shipping
    assert (order["marked_paid_by"], order["refundable"]["amount"]) == (f"operator:{STAFF}", 25942)
    assert reserved(shop) == {"standard": 0, "gilded": 1} and reserved(shop, "oaken-buckler") == {"default": 1}
    assert stored_order(shop, order["id"])["channel"] == "pos"
    mine = shopper_call(cart, "GET", "/{order}", order=order["id"])
    assert mine.status == 200 and mine.body["number"] == order["number"]
    purchases = sorted(i["sk"] for i in order_items(shop) if i["sk"].startswith("PURCHASE#"))
    assert purchases == [f"PURCHASE#{sub}#ember-longsword", f"PURCHASE#{sub}#oaken-buckler"]


def test_its_shopper_may_cancel_it_and_the_held_stock_and_the_money_go_back(
    shop: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    gateway = use_gateway(monkeypatch, RecordingGateway())
    cart = shopper_cart(shop, "kim@example.com")
    sub = cart.claims["sub"] if cart.claims else ""
    sale = PHONE_SALE | {"email": "kim@example.com", "customer_id": sub, "payment": "paid"}
    order = create(shop, sale).body

    cancelled = shopper_call(cart, "POST", "/{order}/cancel", order=order["id"])

    assert cancelled.status == 200, cancelled.body
    assert reserved(shop) == {"standard": 0, "gilded": 0}
    after = read(shop, order["id"]).body
    assert (after["status"], after["payment_state"], after["refunded"]["amount"]) == (
        "cancelled",
        "refunded",
        PHONE_SALE_TOTAL,
    )
    assert gateway.calls == []  # paid at the counter: the money goes back by hand


def test_an_awaiting_order_is_marked_paid_when_the_money_comes(shop: Cloud) -> None:
    order = create(shop, PHONE_SALE).body
    event = api_event(
        "POST /admin/stores/{store}/orders/{order}/mark-paid",
        path_parameters={"store": STORE, "order": order["id"]},
        claims=claims(STAFF),
    )

    paid = shop.http("OrderPayments", event)

    assert paid.status == 200, paid.body
    assert (paid.body["payment_state"], paid.body["marked_paid_by"]) == ("paid", f"operator:{STAFF}")
    again = create(shop, PHONE_SALE)  # a late retry of the first request: the order as it is now, nothing new
    assert again.status == 200 and again.body == paid.body
    assert reserved(shop) == {"standard": 2, "gilded": 0}


def test_too_little_stock_is_a_conflict_naming_the_line_and_nothing_is_held_or_numbered(shop: Cloud) -> None:
    sale = PHONE_SALE | {
        "lines": [
            {"product": "oaken-buckler", "quantity": 1},
            {"product": "ember-longsword", "variant": "gilded", "quantity": 3},  # 2 on hand
        ]
    }

    short = create(shop, sale)

    assert short.status == 409, short.body
    error = short.body["error"]
    assert error["code"] == "out_of_stock" and error["fields"][0]["field"] == "lines[1]"
    assert "Ember Longsword (MF-EMBER-GLD): only 2 left" in error["message"]
    assert nothing_written(shop) and reserved(shop, "oaken-buckler") == {"default": 0}
    fits = create(shop, sale | {"lines": sale["lines"][:1]}, key="manual-key-0002")
    assert fits.status == 201 and fits.body["number"] == 1001


def test_stock_held_by_a_checkout_is_not_sold_twice(shop: Cloud) -> None:
    first = create(shop, PHONE_SALE | {"lines": [{"product": "frost-sabre", "quantity": 2}]})
    second = create(shop, PHONE_SALE | {"lines": [{"product": "frost-sabre", "quantity": 1}]}, key="manual-key-0002")

    assert first.status == 201 and second.status == 409, second.body
    assert "Frost Sabre (MF-FROST-SABRE) is out of stock" in second.body["error"]["message"]
    assert reserved(shop, "frost-sabre") == {"default": 2}


def test_a_retry_answers_the_same_order_and_holds_nothing_twice(shop: Cloud) -> None:
    first = create(shop, PHONE_SALE)
    again = create(shop, PHONE_SALE)

    assert (first.status, again.status) == (201, 200)
    assert again.body == first.body
    assert reserved(shop) == {"standard": 2, "gilded": 0}
    assert sorted(i["sk"].split("#")[0] for i in order_items(shop)) == ["MANUAL", "ORDER"]
    assert next_number(shop) == 1002


def test_the_same_key_with_another_request_is_refused_and_changes_nothing(shop: Cloud) -> None:
    first = create(shop, PHONE_SALE)
    before = order_items(shop)

    other = create(shop, PHONE_SALE | {"lines": [{"product": "ember-longsword", "variant": "standard", "quantity": 3}]})

    assert first.status == 201 and other.status == 409, other.body
    assert other.body["error"]["fields"][0]["field"] == "Idempotency-Key"
    assert order_items(shop) == before and reserved(shop) == {"standard": 2, "gilded": 0}


def test_retries_racing_each_other_place_one_order(shop: Cloud) -> None:
    start, answers = threading.Barrier(4), []

    def race() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())  # Mangum runs the app on the thread's loop
        start.wait()
        answers.append(create(shop, PHONE_SALE))

    threads = [threading.Thread(target=race) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(a.status for a in answers) == [200, 200, 200, 201], [a.body for a in answers]
    assert len({a.body["id"] for a in answers}) == 1 and len({a.body["number"] for a in answers}) == 1
    assert reserved(shop) == {"standard": 2, "gilded": 0}
    assert len([i for i in order_items(shop) if i["sk"].startswith("ORDER#")]) == 1


@pytest.mark.parametrize("sub", [ADMIN, STAFF])
def test_every_role_may_enter_orders(shop: Cloud, sub: str) -> None:
    created = create(shop, PHONE_SALE, sub=sub)

    assert created.status == 201, created.body
    assert stored_order(shop, created.body["id"])["timeline"][0]["by"] == f"operator:{sub}"


def test_callers_outside_the_store_are_refused_and_change_nothing(shop: Cloud) -> None:
    shopper: CartApi = shopper_cart(shop, "kim@example.com")

    nobody = create(shop, PHONE_SALE, sub=None)
    stranger = create(shop, PHONE_SALE, sub="0f1e2d3c-dddd-4000-8000-000000000004")
    as_shopper = shop.http(
        "ManualOrders",
        api_event(
            "POST /admin/stores/{store}/orders",
            path_parameters={"store": STORE},
            body=PHONE_SALE,
            headers={"idempotency-key": "manual-key-0001"},
            claims=shopper.claims,
        ),
    )
    elsewhere = create(shop, PHONE_SALE, store="another-store")

    assert nobody.status == 401
    for refused in (stranger, as_shopper, elsewhere):
        assert refused.status == 404 and refused.body["error"]["fields"][0]["field"] == "store", refused.body
    assert nothing_written(shop)


def _line(**changes: Any) -> dict[str, Any]:
    return PHONE_SALE | {"lines": [{"product": "ember-longsword", "variant": "standard", "quantity": 1} | changes]}


@pytest.mark.parametrize(
    ("body", "key", "field"),
    [
        (PHONE_SALE, None, "Idempotency-Key"),
        (PHONE_SALE, "short", "Idempotency-Key"),
        ({k: v for k, v in PHONE_SALE.items() if k != "payment"}, "manual-key-0001", "payment"),
        (PHONE_SALE | {"payment": "card"}, "manual-key-0001", "payment"),
        (PHONE_SALE | {"channel": "web"}, "manual-key-0001", "channel"),
        (PHONE_SALE | {"email": "not an address"}, "manual-key-0001", "email"),
        (PHONE_SALE | {"lines": []}, "manual-key-0001", "lines"),
        (PHONE_SALE | {"coupon": "WELCOME10"}, "manual-key-0001", "coupon"),
        (_line(quantity=0), "manual-key-0001", "lines.0.quantity"),
        (_line(quantity="2"), "manual-key-0001", "lines.0.quantity"),
        (_line(product="no-such-sword"), "manual-key-0001", "lines[0].product"),
        (_line(product="tower-shield", variant=None), "manual-key-0001", "lines[0].product"),  # a draft
        (_line(variant="mithril"), "manual-key-0001", "lines[0].variant"),
        (_line(variant=None), "manual-key-0001", "lines[0].variant"),  # two variants: which?
        (PHONE_SALE | {"shipping_method": "teleport"}, "manual-key-0001", "shipping_method"),
        (PHONE_SALE | {"shipping_address": ADDRESS | {"country": "US"}}, "manual-key-0001", "shipping_address.country"),
        (PHONE_SALE | {"customer_id": "no-such-shopper"}, "manual-key-0001", "customer_id"),
    ],
)
def test_a_bad_request_is_refused_naming_what_is_wrong_and_changes_nothing(
    shop: Cloud, body: dict[str, Any], key: str | None, field: str
) -> None:
    response = create(shop, body, key=key)

    assert response.status == 400, response.body
    assert [f["field"] for f in response.body["error"]["fields"]][:1] == [field], response.body
    assert nothing_written(shop)


def test_a_customer_id_must_be_the_account_of_that_email_in_this_store(shop: Cloud) -> None:
    kim = shopper_cart(shop, "kim@example.com")
    sub = kim.claims["sub"] if kim.claims else ""

    someone_else = create(shop, PHONE_SALE | {"customer_id": sub})  # sam@example.com's order, Kim's account

    assert someone_else.status == 400 and someone_else.body["error"]["fields"][0]["field"] == "customer_id"
    assert nothing_written(shop)


def test_an_order_takes_six_dynamodb_calls_and_a_retry_four(shop: Cloud) -> None:
    from nozzly.kernel.adapters import aws

    calls: list[str] = []
    shop.apply_environment(shop.environments["ManualOrders"])
    aws.client("dynamodb").meta.events.register("before-call.dynamodb", lambda model, **_: calls.append(model.name))

    assert create(shop, PHONE_SALE).status == 201
    placed, calls[:] = list(calls), []
    assert create(shop, PHONE_SALE).status == 200

    # The account gate's read of the store's owner (once per container; this store has no owner, so no account
    # is read), membership, one read of everything the request names, the order number, one transaction; then the
    # store's order-number prefix for the answer's display number.
    assert placed == ["GetItem", "GetItem", "BatchGetItem", "UpdateItem", "TransactWriteItems", "GetItem"]
    assert calls == ["GetItem", "BatchGetItem", "GetItem", "GetItem"]  # ... and the order the key made
