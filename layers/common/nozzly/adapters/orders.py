"""Orders in the orders table: `pk={store}, sk=ORDER#{order id}` (the order id is its checkout's id).

gsi-free for now: the orders issue adds the operator listings (by date, status, customer, number).
"""

from __future__ import annotations

from typing import Any

from nozzly.adapters.aws import client
from nozzly.adapters.dynamo import from_item, to_item
from nozzly.domain.orders import Order

PREFIX = "ORDER#"


def _key(store_id: str, order_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{PREFIX}{order_id}"}}


def _to_data(order: Order) -> dict[str, Any]:
    t = order.totals
    address = order.shipping_address
    return {
        "pk": order.store_id,
        "sk": f"{PREFIX}{order.order_id}",
        "type": "order",
        "order_id": order.order_id,
        "number": order.number,
        "status": order.status.value,
        "payment_state": order.payment_state.value,
        "channel": order.channel.value,
        "email": order.email,
        "customer": order.customer,
        "currency": t.total.currency,
        "lines": [
            {
                "variant_id": x.variant_id,
                "product": x.product_slug,
                "sku": x.sku,
                "title": x.title,
                "variant_title": x.variant_title,
                "quantity": x.quantity,
                "unit_price": x.unit_price.amount,
            }
            for x in order.lines
        ],
        "shipping_address": {
            name: getattr(address, name) for name in address.__dataclass_fields__ if getattr(address, name) is not None
        },
        "shipping": {"method_id": order.shipping.method_id, "name": order.shipping.name},
        "payment_method": order.payment_method.value,
        "payment": {"provider": order.payment.provider.value, "payment_id": order.payment.payment_id}
        if order.payment
        else None,
        "coupon": order.coupon,
        "totals": {
            "subtotal": t.subtotal.amount,
            "discount": t.discount.amount,
            "shipping": t.shipping.amount,
            "tax": t.tax.amount,
            "tax_basis_points": t.tax_basis_points,
            "total": t.total.amount,
        },
        "created_at": order.created_at,
    }


class OrdersRepository:
    def __init__(self, table: str) -> None:
        self.table = table

    def put_op(self, order: Order) -> dict[str, Any]:
        """A new order, only if its checkout has none yet."""
        return {
            "Put": {
                "TableName": self.table,
                "Item": to_item(_to_data(order)),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def get_data(self, store_id: str, order_id: str) -> dict[str, Any] | None:
        """The stored order as data (the orders issue gives it a full domain read)."""
        response = client("dynamodb").get_item(TableName=self.table, Key=_key(store_id, order_id), ConsistentRead=True)
        return from_item(response["Item"]) if "Item" in response else None
