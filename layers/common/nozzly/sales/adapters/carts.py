"""Carts in the carts table: `pk={store}, sk=CART#{owner}:{owner id}`, one item per cart, TTL on expires_at.

Every write is conditioned on the version read (a new cart: on its absence), so two tabs changing one cart
at once never lose a line silently: the loser gets 409 and retries with the fresh cart.

Every cart is also in index gsi1 under the hour it expires in (`gsi1pk=EXPIRES#{yyyy-mm-ddThh}` UTC,
`gsi1sk={store}#{cart id}`), rewritten with each save, so the hourly cleanup queries the hours up to now
instead of scanning the table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.adapters.unit_of_work import Transaction, Write, WriteConflict
from nozzly.kernel.domain.errors import Conflict
from nozzly.kernel.domain.money import Money
from nozzly.sales.domain.carts import Cart, CartLine, CartOwner, cart_id

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

PREFIX = "CART#"
EXPIRY_INDEX = "gsi1"


def expiry_bucket(epoch: float) -> str:
    """The gsi1 partition of carts expiring in the hour that holds `epoch`."""
    return "EXPIRES#" + datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H")


@dataclass(frozen=True, slots=True)
class StaleCart:
    """An expired cart as the expiry index shows it: enough to delete it only if nobody touched it since."""

    store_id: str
    cart_id: str
    version: int
    expires_at: int


def _key(store_id: str, cart_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{PREFIX}{cart_id}"}}


def _to_data(cart: Cart, version: int) -> dict[str, Any]:
    return {
        "pk": cart.store_id,
        "sk": f"{PREFIX}{cart.cart_id}",
        "type": "cart",
        "owner": cart.owner.value,
        "owner_id": cart.owner_id,
        "currency": cart.currency,
        "coupon": cart.coupon,
        "updated_at": cart.updated_at,
        "expires_at": cart.expires_at,
        "gsi1pk": expiry_bucket(cart.expires_at),
        "gsi1sk": f"{cart.store_id}#{cart.cart_id}",
        "version": version,
        "lines": lines_data(cart.lines),
        "checkout_id": cart.checkout_id,
    }


def lines_data(lines: tuple[CartLine, ...]) -> list[dict[str, Any]]:
    """A cart's lines as stored (also in its reminder's snapshot, sales/adapters/cart_reminders.py)."""
    return [
        {
            "variant_id": line.variant_id,
            "product": line.product_slug,
            "sku": line.sku,
            "title": line.title,
            "variant_title": line.variant_title,
            "quantity": line.quantity,
            "unit_price": line.unit_price.amount,
            "added_at": line.added_at,
        }
        for line in lines
    ]


def lines_from(data: list[dict[str, Any]], currency: str) -> tuple[CartLine, ...]:
    return tuple(
        CartLine(
            variant_id=line["variant_id"],
            product_slug=line["product"],
            sku=line["sku"],
            title=line["title"],
            variant_title=line["variant_title"],
            quantity=int(line["quantity"]),
            unit_price=Money(int(line["unit_price"]), currency),
            added_at=int(line["added_at"]),
        )
        for line in data
    )


def _from_data(data: dict[str, Any]) -> Cart:
    currency = data["currency"]
    return Cart(
        store_id=data["pk"],
        owner=CartOwner(data["owner"]),
        owner_id=data["owner_id"],
        currency=currency,
        coupon=data.get("coupon"),
        updated_at=int(data["updated_at"]),
        expires_at=int(data["expires_at"]),
        version=int(data["version"]),
        lines=lines_from(data.get("lines", []), currency),
        checkout_id=data.get("checkout_id"),
    )


class CartsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self.table = table
        self._client = dynamodb

    @property
    def _dynamodb(self) -> DynamoDBClient:
        return dynamodb_client(self._client)

    def _write(self, request: dict[str, Any], kind: str, also: Sequence[Write]) -> None:
        """One conditional write of the cart: alone a PutItem / DeleteItem, with other writes a transaction.
        409 when the cart's condition failed."""
        dynamodb = self._dynamodb
        changed = Conflict("the cart changed meanwhile; load it again and retry", field="cart")
        try:
            if not also:
                (dynamodb.put_item if kind == "Put" else dynamodb.delete_item)(**request)
                return
            Transaction(self._client).add("cart", {kind: request}).add("also", *also).commit()
        except dynamodb.exceptions.ConditionalCheckFailedException as exc:
            raise changed from exc
        except WriteConflict as exc:
            if "cart" in exc.failed:
                raise changed from exc
            raise

    def cart_read(self, store_id: str, owner: CartOwner, owner_id: str) -> Read[Cart]:
        return Read(self.table, _key(store_id, cart_id(owner, owner_id)), _from_data)

    def delete_if_unchanged(
        self, store_id: str, owner: CartOwner, owner_id: str, version: int, also: Sequence[Write] = ()
    ) -> bool:
        """Delete the cart if it is still at `version` (one call, no read), with the writes `also` in the same
        transaction; False (and none of them) if it changed or is gone."""
        delete = {
            "TableName": self.table,
            "Key": _key(store_id, cart_id(owner, owner_id)),
            "ConditionExpression": "version = :read",
            "ExpressionAttributeValues": {":read": {"N": str(version)}},
        }
        try:
            self._write(delete, "Delete", also)
        except Conflict:
            return False
        return True

    def claimed(self, cart: Cart, checkout_id: str, *, stale: str | None) -> Write:
        """The write claiming the cart for a checkout: only at the version read, and only if no checkout
        holds it (or only the `stale` one read, which has ended). The version moves on, so a change of the cart
        racing the claim is refused and the checkout's lines are the cart's at its version."""
        condition = "attribute_not_exists(checkout_id)" if stale is None else "checkout_id = :stale"
        values = {":read": {"N": str(cart.version)}, ":next": {"N": str(cart.version + 1)}, ":c": {"S": checkout_id}}
        values |= {":stale": {"S": stale}} if stale is not None else {}
        return {
            "Update": {
                "TableName": self.table,
                "Key": _key(cart.store_id, cart.cart_id),
                "UpdateExpression": "SET checkout_id = :c, version = :next",
                "ConditionExpression": f"version = :read AND {condition}",
                "ExpressionAttributeValues": values,
            }
        }

    def release(self, store_id: str, owner: CartOwner, owner_id: str, checkout_id: str) -> bool:
        """Let the cart be checked out again, if that checkout still holds it (else nothing: False)."""
        dynamodb = self._dynamodb
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key=_key(store_id, cart_id(owner, owner_id)),
                UpdateExpression="REMOVE checkout_id",
                ConditionExpression="checkout_id = :c",
                ExpressionAttributeValues={":c": {"S": checkout_id}},
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def get(self, store_id: str, owner: CartOwner, owner_id: str) -> Cart | None:
        """The stored cart, expired or not (the service decides); consistent, as a cart is read to change it."""
        response = self._dynamodb.get_item(
            TableName=self.table, Key=_key(store_id, cart_id(owner, owner_id)), ConsistentRead=True
        )
        return _from_data(from_item(response["Item"])) if "Item" in response else None

    def save(self, cart: Cart, also: Sequence[Write] = ()) -> Cart:
        """Write the cart if it is still the version read (and the writes `also`, in the same transaction: only
        then is it one); the stored cart (with its new version)."""
        put: dict[str, Any] = {"TableName": self.table, "Item": to_item(_to_data(cart, cart.version + 1))}
        if cart.version == 0:
            put["ConditionExpression"] = "attribute_not_exists(pk)"
        else:
            put["ConditionExpression"] = "version = :read"
            put["ExpressionAttributeValues"] = {":read": {"N": str(cart.version)}}
        self._write(put, "Put", also)
        return replace(cart, version=cart.version + 1)

    def delete(self, cart: Cart, also: Sequence[Write] = ()) -> None:
        """Gone, unless it changed since it was read (then the change wins and the caller hears 409)."""
        self._write(
            {
                "TableName": self.table,
                "Key": _key(cart.store_id, cart.cart_id),
                "ConditionExpression": "version = :read",
                "ExpressionAttributeValues": {":read": {"N": str(cart.version)}},
            },
            "Delete",
            also,
        )

    # ---- the stale-cart cleanup
    def expired_in_hour(self, hour: float, now: float) -> Iterator[StaleCart]:
        """Carts of every store that expire in the hour holding `hour` and before `now` (gsi1: eventually
        consistent, so each delete is conditioned on what was read here)."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": EXPIRY_INDEX,
            "KeyConditionExpression": "gsi1pk = :bucket",
            "FilterExpression": "expires_at < :now",
            "ExpressionAttributeValues": {":bucket": {"S": expiry_bucket(hour)}, ":now": {"N": str(int(now))}},
        }
        while True:
            response = self._dynamodb.query(**kwargs)
            for item in response["Items"]:
                data = from_item(item)
                yield StaleCart(data["pk"], data["sk"].removeprefix(PREFIX), data["version"], data["expires_at"])
            if "LastEvaluatedKey" not in response:
                return
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def delete_stale(self, stale: StaleCart, now: float) -> bool:
        """Delete the cart if it is still expired at the version read; False when a shopper touched it since
        (a new version, a new expiry) or it is gone already."""
        dynamodb = self._dynamodb
        try:
            dynamodb.delete_item(
                TableName=self.table,
                Key=_key(stale.store_id, stale.cart_id),
                ConditionExpression="expires_at < :now AND version = :read",
                ExpressionAttributeValues={":now": {"N": str(int(now))}, ":read": {"N": str(stale.version)}},
            )
        except dynamodb.exceptions.ConditionalCheckFailedException:
            return False
        return True
