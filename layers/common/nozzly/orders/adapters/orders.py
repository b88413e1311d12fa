"""Orders in the orders table: `pk={store}, sk=ORDER#{order id}` (the order id is its checkout's id).

A shopper's orders are also in gsi1: `gsi1pk={store}#CUSTOMER#{sub}`, `gsi1sk={created_at, 12 digits}#{number,
10 digits}` (newest first when read backwards). Guests' orders have no gsi1 attributes (sparse): no account
lists them. Operators' listings (orders/adapters/order_listing.py) read four more indexes, all sorted by
`placed_key` (the same `{created_at}#{number}`): orders_by_date (`pk`), orders_by_status
(`status_orders={store}#{status}`), orders_by_email (`email_orders={store}#{email, lower case}`) and
orders_by_number (`number_orders={store}#{number}`). Only order items have `placed_key`, so the indexes hold
nothing else. They project what a listing row shows (LISTED), not the lines or the timeline.

After placement an order changes only through replace_op: a Put of the whole item (so the gsi1 attributes
and `refunded_amount` are always recomputed from the order) conditioned on the version read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nozzly.customers.domain.customers import Address
from nozzly.kernel.adapters import cursor as cursors
from nozzly.kernel.adapters.aws import client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.domain.money import Money
from nozzly.orders.adapters.sale_codec import address_data, lines_data, lines_from_data, totals_data, totals_from_data
from nozzly.orders.domain.orders import (
    Channel,
    Fulfilment,
    FulfilmentLine,
    Order,
    OrderRefund,
    OrderStatus,
    PaymentState,
    RefundState,
    TimelineEntry,
    TimelineKind,
)
from nozzly.payments.domain.payments import Provider
from nozzly.sales.domain.checkout import PaymentInfo, PaymentMethod, ShippingChoice

PREFIX = "ORDER#"
CUSTOMER_INDEX = "gsi1"
_GSI_KEY = {"pk", "sk", "gsi1pk", "gsi1sk"}


def _key(store_id: str, order_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{PREFIX}{order_id}"}}


def customer_partition(store_id: str, sub: str) -> str:
    return f"{store_id}#CUSTOMER#{sub}"


def _customer_keys(order: Order) -> dict[str, str]:
    if order.customer is None:
        return {}
    return {
        "gsi1pk": customer_partition(order.store_id, order.customer),
        "gsi1sk": placed_key(order.created_at, order.number),
    }


def placed_key(created_at: int, number: int) -> str:
    return f"{created_at:012d}#{number:010d}"


def _listing_keys(order: Order) -> dict[str, Any]:
    return {
        "placed_key": placed_key(order.created_at, order.number),
        "status_orders": f"{order.store_id}#{order.status.value}",
        "email_orders": f"{order.store_id}#{order.email.lower()}",
        "number_orders": f"{order.store_id}#{order.number}",
        "item_count": sum(line.quantity for line in order.lines),
        "total_amount": order.totals.total.amount,
        "fulfilment_state": order.fulfilment_state.value,
    }


def _refund_data(r: OrderRefund) -> dict[str, Any]:
    data = {
        "key": r.key,
        "amount": r.amount.amount,
        "state": r.state.value,
        "reason": r.reason,
        "by": r.by,
        "at": r.at,
        "provider_key": r.provider_key,
        "requested": r.requested,
        "refund_id": r.refund_id,
    }
    return {k: v for k, v in data.items() if v is not None}


def _entry_data(e: TimelineEntry) -> dict[str, Any]:
    data = {
        "at": e.at,
        "by": e.by,
        "kind": e.kind.value,
        "text": e.text,
        "ref": e.ref,
        "from": e.from_status.value if e.from_status else None,
        "to": e.to_status.value if e.to_status else None,
        "note": e.note,
    }
    return {k: v for k, v in data.items() if v is not None}


def _entry_from(d: dict[str, Any]) -> TimelineEntry:
    return TimelineEntry(
        at=int(d["at"]),
        by=d["by"],
        kind=TimelineKind(d["kind"]),
        text=d["text"],
        ref=d.get("ref"),
        from_status=OrderStatus(d["from"]) if d.get("from") else None,
        to_status=OrderStatus(d["to"]) if d.get("to") else None,
        note=d.get("note"),
    )


def _fulfilment_data(f: Fulfilment) -> dict[str, Any]:
    data = {
        "id": f.fulfilment_id,
        "lines": [{"product": x.product_slug, "variant": x.variant_id, "quantity": x.quantity} for x in f.lines],
        "created_at": f.created_at,
        "by": f.by,
        "carrier": f.carrier,
        "tracking_number": f.tracking_number,
        "tracking_url": f.tracking_url,
        "updated_at": f.updated_at,
    }
    return {k: v for k, v in data.items() if v is not None}


def _fulfilment_from(d: dict[str, Any]) -> Fulfilment:
    return Fulfilment(
        fulfilment_id=d["id"],
        lines=tuple(FulfilmentLine(x["product"], x["variant"], int(x["quantity"])) for x in d["lines"]),
        created_at=int(d["created_at"]),
        by=d["by"],
        carrier=d.get("carrier"),
        tracking_number=d.get("tracking_number"),
        tracking_url=d.get("tracking_url"),
        updated_at=int(d["updated_at"]) if d.get("updated_at") is not None else None,
    )


def _to_data(order: Order) -> dict[str, Any]:
    return (
        {
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
            "currency": order.totals.total.currency,
            "lines": lines_data(order.lines),
            "shipping_address": address_data(order.shipping_address),
            "billing_address": address_data(order.billing_address) if order.billing_address else None,
            "shipping": {"method_id": order.shipping.method_id, "name": order.shipping.name},
            "payment_method": order.payment_method.value,
            "payment": {"provider": order.payment.provider.value, "payment_id": order.payment.payment_id}
            if order.payment
            else None,
            "coupon": order.coupon,
            "totals": totals_data(order.totals),
            "created_at": order.created_at,
            "refunds": [_refund_data(r) for r in order.refunds],
            "refunded_amount": order.refunded.amount,
            "version": order.version,
            "cancelled_at": order.cancelled_at,
            "paid_at": order.paid_at,
            "marked_paid_by": order.marked_paid_by,
            "timeline": [_entry_data(e) for e in order.timeline],
            "fulfilments": [_fulfilment_data(f) for f in order.fulfilments],
        }
        | _customer_keys(order)
        | _listing_keys(order)
    )


def _from_data(data: dict[str, Any]) -> Order:
    currency = data["currency"]

    def money(amount: Any) -> Money:
        return Money(int(amount), currency)

    t = data["totals"]
    payment = data.get("payment")
    shipping = data["shipping"]
    return Order(
        store_id=data["pk"],
        order_id=data["order_id"],
        number=int(data["number"]),
        status=OrderStatus(data["status"]),
        payment_state=PaymentState(data["payment_state"]),
        channel=Channel(data["channel"]),
        email=data["email"],
        customer=data.get("customer"),
        lines=lines_from_data(data["lines"], currency),
        shipping_address=Address(**data["shipping_address"]),
        billing_address=Address(**data["billing_address"]) if data.get("billing_address") else None,
        shipping=ShippingChoice(shipping["method_id"], shipping["name"], money(t["shipping"])),
        payment_method=PaymentMethod(data["payment_method"]),
        payment=PaymentInfo(Provider(payment["provider"]), payment["payment_id"]) if payment else None,
        coupon=data.get("coupon"),
        totals=totals_from_data(t, currency),
        created_at=int(data["created_at"]),
        refunds=tuple(
            OrderRefund(
                key=r["key"],
                amount=money(r["amount"]),
                state=RefundState(r["state"]),
                reason=r["reason"],
                by=r["by"],
                at=int(r["at"]),
                provider_key=r["provider_key"],
                requested=int(r["requested"]) if r.get("requested") is not None else None,
                refund_id=r.get("refund_id"),
            )
            for r in data.get("refunds", [])
        ),
        version=int(data.get("version", 0)),
        cancelled_at=data.get("cancelled_at"),
        paid_at=data.get("paid_at"),
        marked_paid_by=data.get("marked_paid_by"),
        timeline=tuple(_entry_from(e) for e in data.get("timeline", [])),
        fulfilments=tuple(_fulfilment_from(f) for f in data.get("fulfilments", [])),
    )


def order_from_image(image: dict[str, Any] | None) -> Order | None:
    """The order in a stream record's image (DynamoDB JSON, as the orders table's stream carries it); None
    when there is no image or the item is not an order (checkouts, sent-email claims share the table)."""
    if not image:
        return None
    data = from_item(image)
    return _from_data(data) if data.get("type") == "order" else None


@dataclass(frozen=True, slots=True)
class OrderPage:
    orders: list[Order]
    next_cursor: str | None


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
        """The stored order as plain data."""
        response = client("dynamodb").get_item(TableName=self.table, Key=_key(store_id, order_id), ConsistentRead=True)
        return from_item(response["Item"]) if "Item" in response else None

    def get(self, store_id: str, order_id: str) -> Order | None:
        data = self.get_data(store_id, order_id)
        return _from_data(data) if data is not None and data.get("type") == "order" else None

    def replace_op(self, before: Order, after: Order) -> dict[str, Any]:
        """The order as `after`, only if the stored order is still `before` (its version). When the change
        refunds more, the stored refunded amount must also leave room for it: the table itself never records
        more refunded than paid, whatever a caller computed."""
        conditions = ["version = :read"] if before.version else ["(attribute_not_exists(version) OR version = :read)"]
        values: dict[str, Any] = {":read": {"N": str(before.version)}}
        more = after.refunded.amount - before.refunded.amount
        if more > 0:
            conditions.append("(attribute_not_exists(refunded_amount) OR refunded_amount <= :limit)")
            values[":limit"] = {"N": str(after.paid.amount - more)}
        return {
            "Put": {
                "TableName": self.table,
                "Item": to_item(_to_data(after)),
                "ConditionExpression": " AND ".join(conditions),
                "ExpressionAttributeValues": values,
            }
        }

    def replace(self, before: Order, after: Order) -> bool:
        """Write `after` if the order is still `before`; False if it changed meanwhile (read it again)."""
        dynamodb = client("dynamodb")
        try:
            dynamodb.put_item(**self.replace_op(before, after)["Put"])
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def for_customer(self, store_id: str, sub: str, *, cursor: str | None, limit: int) -> OrderPage:
        """A shopper's orders in this store, newest first: one Query of gsi1 (eventually consistent)."""
        partition = customer_partition(store_id, sub)
        args: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": CUSTOMER_INDEX,
            "KeyConditionExpression": "gsi1pk = :p",
            "ExpressionAttributeValues": {":p": {"S": partition}},
            "ScanIndexForward": False,
            "Limit": limit + 1,  # one look-ahead item: a next page exists only if it does
        }
        if cursor:
            args["ExclusiveStartKey"] = cursors.decode(
                cursor, key_attrs=_GSI_KEY, partition_attr="gsi1pk", partition_value=partition
            )
        response = client("dynamodb").query(**args)
        items = response["Items"]
        page = items[:limit]
        # A page cut short by the 1 MB read limit also has more after it.
        more = len(items) > limit or "LastEvaluatedKey" in response
        last = {k: page[-1][k] for k in _GSI_KEY} if more and page else None
        return OrderPage([_from_data(from_item(i)) for i in page], cursors.encode(last))
