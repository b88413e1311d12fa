"""Driving the Reviews function as API Gateway would: buyers with shopper claims, operators with theirs.

Imported as `tests.functional.review_helpers`. A purchase is written the way the checkout writes it, through
PurchasesRepository.recorded_ops for an order of the shopper.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from tests.functional.auth_helpers import api_event
from tests.functional.harness import STORE, Cloud, HttpResponse
from tests.functional.store_helpers import claims as operator_claims

FUNCTION = "Reviews"
PRODUCT_ROUTE = "/stores/{store}/products/{product}/reviews"
ADMIN_ROUTE = "/admin/stores/{store}/reviews"
GOOD = {"rating": 4, "title": "Sharp", "text": "Holds an edge after a season of use."}


def shopper_claims(sub: str, email: str, store: str = STORE) -> dict[str, str]:
    """A shopper access token's claims as the JWT authorizer passes them on (username `<store>#<email>`)."""
    return {"sub": sub, "username": f"{store}#{email}", "token_use": "access", "client_id": "shopper-client"}


def join(cloud: Cloud, sub: str, role: str, store: str = STORE) -> None:
    item = {"pk": store, "sk": f"MEMBER#{sub}", "type": "member", "sub": sub, "role": role, "store_name": "x"}
    cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})


def record_purchase(cloud: Cloud, sub: str, product: str, store: str = STORE) -> None:
    """The purchase records of a placed order of `sub` for one unit of `product`."""
    from nozzly.customers.domain.customers import Address
    from nozzly.kernel.domain.money import Money
    from nozzly.orders.domain.orders import Channel, Order, OrderStatus, PaymentState
    from nozzly.reviews.adapters.purchases import PurchasesRepository
    from nozzly.sales.domain.checkout import CheckoutLine, PaymentMethod, ShippingChoice
    from nozzly.sales.domain.pricing import Totals

    price, nothing = Money(4900, "EUR"), Money(0, "EUR")
    order = Order(
        store_id=store,
        order_id=f"order-{sub}-{product}",
        number=1001,
        status=OrderStatus.PENDING,
        payment_state=PaymentState.AWAITING,
        channel=Channel.WEB,
        email=f"{sub}@example.com",
        customer=sub,
        lines=(CheckoutLine("default", product, "SKU-1", product, "Default", 1, price),),
        shipping_address=Address("a1", "Sam Buyer", "1 Forge Lane", "Mystmere", "12345", "DE"),
        shipping=ShippingChoice("standard", "Standard", nothing),
        payment_method=PaymentMethod.CASH_ON_DELIVERY,
        payment=None,
        coupon=None,
        totals=Totals(price, nothing, nothing, nothing, 0, price),
        created_at=int(time.time()),
    )
    ops = PurchasesRepository(cloud.names["OrdersTable"]).recorded_ops(order)
    cloud.client("dynamodb").transact_write_items(TransactItems=ops)


@dataclass(frozen=True)
class Buyer:
    cloud: Cloud
    sub: str
    email: str
    store: str = STORE

    @property
    def claims(self) -> dict[str, str]:
        return shopper_claims(self.sub, self.email, self.store)

    def post(self, product: str = "ember-longsword", body: Any = None) -> HttpResponse:
        time.sleep(0.002)  # posts a test makes in a row get distinct milliseconds: "newest first" is defined
        event = api_event(
            f"POST {PRODUCT_ROUTE}",
            path_parameters={"store": self.store, "product": product},
            body=GOOD if body is None else body,
            claims=self.claims,
        )
        return self.cloud.http(FUNCTION, event)


def _with_query(event: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
    if query:
        event["rawQueryString"] = urlencode(query)
        event["queryStringParameters"] = dict(query)
    return event


def storefront(cloud: Cloud, product: str = "ember-longsword", store: str = STORE, **query: str) -> HttpResponse:
    event = api_event(f"GET {PRODUCT_ROUTE}", path_parameters={"store": store, "product": product})
    return cloud.http(FUNCTION, _with_query(event, query))


def queue(cloud: Cloud, operator: str, store: str = STORE, **query: str) -> HttpResponse:
    event = api_event(f"GET {ADMIN_ROUTE}", path_parameters={"store": store}, claims=operator_claims(operator))
    return cloud.http(FUNCTION, _with_query(event, query))


def decide(cloud: Cloud, operator: str, review: str, decision: str, body: Any = None) -> HttpResponse:
    event = api_event(
        f"POST {ADMIN_ROUTE}/{{review}}/{decision}",
        path_parameters={"store": STORE, "review": review},
        body=body,
        claims=operator_claims(operator),
    )
    return cloud.http(FUNCTION, event)
