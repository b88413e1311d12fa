"""Helpers of the inbox's functional tests: bus events, a shopper's order, requests as an operator or a shopper."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse
from tests.functional.review_helpers import shopper_claims
from tests.functional.store_helpers import claims

BASE = 1_764_800_000  # 2025-12-03T22:13:20Z


def bus_event(
    n: int, detail_type: str = "OrderPlaced", store: str = STORE, order: str = "o-1", **detail: Any
) -> dict[str, Any]:
    """An EventBridge event as a rule hands it to Lambda: `time` to the second, a unique `id`."""
    return {
        "version": "0",
        "id": f"0b1c2d3e-0000-4000-8000-{n:012d}",
        "detail-type": detail_type,
        "source": "nozzly.orders",
        "account": "123456789012",
        "time": datetime.fromtimestamp(BASE + n * 60, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "eu-west-1",
        "resources": [],
        "detail": {"store_id": store, "order_id": order, "order_number": 1000 + n} | detail,
    }


def store_order(cloud: Cloud, order_id: str, customer: str | None, store: str = STORE) -> None:
    """A placed order of `customer` (None: a guest's) in the orders table."""
    from nozzly.customers.domain.customers import Address
    from nozzly.kernel.domain.money import Money
    from nozzly.orders.adapters.orders import OrdersRepository
    from nozzly.orders.domain.orders import Channel, Order, OrderStatus, PaymentState
    from nozzly.sales.domain.checkout import CheckoutLine, PaymentMethod, ShippingChoice
    from nozzly.sales.domain.pricing import Totals

    price, nothing = Money(4900, "EUR"), Money(0, "EUR")
    order = Order(
        store_id=store,
        order_id=order_id,
        number=1777,
        status=OrderStatus.PENDING,
        payment_state=PaymentState.AWAITING,
        channel=Channel.WEB,
        email="sam@example.com",
        customer=customer,
        lines=(CheckoutLine("default", "ember", "SKU-1", "Ember", "Default", 1, price),),
        shipping_address=Address("a1", "Sam Buyer", "1 Forge Lane", "Mystmere", "12345", "DE"),
        shipping=ShippingChoice("standard", "Standard", nothing),
        payment_method=PaymentMethod.CASH_ON_DELIVERY,
        payment=None,
        coupon=None,
        totals=Totals(price, nothing, nothing, nothing, 0, price),
        created_at=int(time.time()),
    )
    cloud.client("dynamodb").transact_write_items(
        TransactItems=[OrdersRepository(cloud.names["OrdersTable"]).put_op(order)]
    )


def operator_call(
    cloud: Cloud,
    route: str,
    sub: str,
    *,
    store: str = STORE,
    notification: str | None = None,
    body: Any = None,
    query: str = "",
) -> HttpResponse:
    params = {"store": store} | ({"notification": notification} if notification is not None else {})
    method, path = route.split(" ", 1)
    event = api_event(
        f"{method} /admin/stores/{{store}}{path}",
        path_parameters=params,
        claims=claims(sub),
        body=body,
    )
    return _with_query(cloud, event, query)


def shopper_call(
    cloud: Cloud,
    route: str,
    sub: str,
    *,
    store: str = STORE,
    notification: str | None = None,
    query: str = "",
    token_store: str = STORE,
) -> HttpResponse:
    """As the shopper of `token_store` (their token's store) calling `store`'s route."""
    params = {"store": store} | ({"notification": notification} if notification is not None else {})
    method, path = route.split(" ")
    event = api_event(
        f"{method} /stores/{{store}}/me{path}",
        path_parameters=params,
        claims=shopper_claims(sub, f"{sub}@example.com", token_store),
    )
    return _with_query(cloud, event, query)


def _with_query(cloud: Cloud, event: dict[str, Any], query: str) -> HttpResponse:
    if query:
        event["rawQueryString"] = query
        event["queryStringParameters"] = dict(p.split("=", 1) for p in query.split("&"))
    return cloud.http("Notifications", event)


def inbox_items(cloud: Cloud) -> list[dict[str, Any]]:
    return [i for i in cloud.all_items("NotificationsTable") if i["sk"]["S"].startswith("N#")]
