"""Operators' order listings: newest first, filtered, paged with opaque cursors. Never a scan.

The most selective filter picks the index (orders/adapters/orders.py writes their keys): an order number, else the
customer's email, else the status, else all of the store's orders by date. The date range is the key
condition on `placed_key`; the other filters are FilterExpressions, so a page is read in up to MAX_READS
queries until it is full. The cursor is the last row shown, so the next page starts right after it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from nozzly.kernel.adapters import cursor as cursors
from nozzly.kernel.adapters.aws import client
from nozzly.kernel.adapters.dynamo import from_item
from nozzly.kernel.domain.money import Money
from nozzly.orders.adapters.orders import placed_key
from nozzly.orders.domain.order_search import OrderFilters, OrderRow
from nozzly.orders.domain.orders import Channel, FulfilmentState, OrderStatus, PaymentState

MAX_READS = 5  # queries per page: a rare filter over a long history answers a short page with a cursor
READ_SIZE = 100  # items read per query when filters may drop some


@dataclass(frozen=True, slots=True)
class OrderRowPage:
    rows: list[OrderRow]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class _Index:
    name: str | None
    partition_attr: str


BY_DATE = _Index("orders_by_date", "pk")
BY_STATUS = _Index("orders_by_status", "status_orders")
BY_EMAIL = _Index("orders_by_email", "email_orders")
BY_NUMBER = _Index("orders_by_number", "number_orders")


def _row(data: Mapping[str, Any]) -> OrderRow:
    currency = data["currency"]
    return OrderRow(
        order_id=data["order_id"],
        number=int(data["number"]),
        status=OrderStatus(data["status"]),
        payment_state=PaymentState(data["payment_state"]),
        fulfilment_state=FulfilmentState(data.get("fulfilment_state", FulfilmentState.UNFULFILLED.value)),
        channel=Channel(data["channel"]),
        email=data["email"],
        customer=data.get("customer"),
        item_count=int(data.get("item_count", 0)),
        total=Money(int(data["total_amount"]), currency),
        refunded=Money(int(data.get("refunded_amount", 0)), currency),
        created_at=int(data["created_at"]),
    )


def _plan(store_id: str, f: OrderFilters) -> tuple[_Index, str, list[str], dict[str, Any]]:
    """The index, its partition value, the FilterExpression parts and their values."""
    filters: list[str] = []
    values: dict[str, Any] = {}

    def also(attr: str, value: str) -> None:
        filters.append(f"{attr} = :{attr}")
        values[f":{attr}"] = {"S": value}

    if f.number is not None:
        index, partition = BY_NUMBER, f"{store_id}#{f.number}"
        if f.email:
            also("email_orders", f"{store_id}#{f.email.lower()}")
        if f.status:
            also("status_orders", f"{store_id}#{f.status.value}")
    elif f.email:
        index, partition = BY_EMAIL, f"{store_id}#{f.email.lower()}"
        if f.status:
            also("status_orders", f"{store_id}#{f.status.value}")
    elif f.status:
        index, partition = BY_STATUS, f"{store_id}#{f.status.value}"
    else:
        index, partition = BY_DATE, store_id
    if f.payment_state:
        also("payment_state", f.payment_state.value)
    if f.channel:
        also("channel", f.channel.value)
    return index, partition, filters, values


class OrderListing:
    def __init__(self, table: str) -> None:
        self.table = table

    def search(self, store_id: str, filters: OrderFilters, *, cursor: str | None, limit: int) -> OrderRowPage:
        index, partition, conditions, values = _plan(store_id, filters)
        key_attrs = {"pk", "sk", "placed_key", index.partition_attr}
        lo = placed_key(filters.created_from, 0) if filters.created_from is not None else placed_key(0, 0)
        hi = placed_key(filters.created_to, 9_999_999_999) if filters.created_to is not None else "~"
        args: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": index.name,
            "KeyConditionExpression": f"{index.partition_attr} = :p AND placed_key BETWEEN :lo AND :hi",
            "ExpressionAttributeValues": {":p": {"S": partition}, ":lo": {"S": lo}, ":hi": {"S": hi}, **values},
            "ScanIndexForward": False,
            "Limit": READ_SIZE if conditions else limit + 1,
        }
        if conditions:
            args["FilterExpression"] = " AND ".join(conditions)
        if cursor:
            args["ExclusiveStartKey"] = cursors.decode(
                cursor, key_attrs=key_attrs, partition_attr=index.partition_attr, partition_value=partition
            )
        found: list[dict[str, Any]] = []
        more = False
        dynamodb = client("dynamodb")
        for _ in range(MAX_READS):
            response = dynamodb.query(**args)
            found.extend(response["Items"])
            more = "LastEvaluatedKey" in response
            if len(found) > limit or not more:
                break
            args["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        page = found[:limit]
        has_next = len(found) > limit or more
        if has_next and not page:  # nothing matched within MAX_READS: resume where the reads stopped
            return OrderRowPage([], cursors.encode(args.get("ExclusiveStartKey")))
        last = {k: page[-1][k] for k in key_attrs} if has_next else None
        return OrderRowPage([_row(from_item(item)) for item in page], cursors.encode(last))

    def oldest(self, store_id: str, status: OrderStatus, *, placed_before: int, limit: int) -> list[OrderRow]:
        """Up to `limit` orders now in `status` placed before the instant, oldest first (one query): what has
        waited longest. The dashboard's attention list reads it; its cost is the limit, not the history."""
        response = client("dynamodb").query(
            TableName=self.table,
            IndexName=BY_STATUS.name,
            KeyConditionExpression="status_orders = :p AND placed_key < :before",
            ExpressionAttributeValues={
                ":p": {"S": f"{store_id}#{status.value}"},
                ":before": {"S": placed_key(placed_before, 0)},
            },
            ScanIndexForward=True,
            Limit=limit,
        )
        return [_row(from_item(item)) for item in response["Items"]]

    def placed_since(self, store_id: str, since: int) -> Iterator[str]:
        """The ids of every order placed at or after the instant, oldest first, page by page (nightly work)."""
        args: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": BY_DATE.name,
            "KeyConditionExpression": "pk = :p AND placed_key >= :since",
            "ExpressionAttributeValues": {":p": {"S": store_id}, ":since": {"S": placed_key(since, 0)}},
            "ProjectionExpression": "order_id",
        }
        dynamodb = client("dynamodb")
        while True:
            response = dynamodb.query(**args)
            for item in response["Items"]:
                yield str(from_item(item)["order_id"])
            if "LastEvaluatedKey" not in response:
                return
            args["ExclusiveStartKey"] = response["LastEvaluatedKey"]
