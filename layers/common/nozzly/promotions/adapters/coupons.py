"""Coupons in the stores table: `pk={store}, sk=COUPON#{CODE}`; uses counted on the item itself.

Per-shopper uses are items `COUPONUSE#{CODE}#{sub}`, written by the checkout with the coupon's counter in
one transaction (conditions: `uses < max_uses`, and the shopper's count below their limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_item, to_value
from nozzly.kernel.adapters.unit_of_work import Write
from nozzly.kernel.domain.errors import Conflict, NotFound
from nozzly.promotions.domain.coupons import Coupon, CouponKind

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

PREFIX = "COUPON#"


def _key(store_id: str, code: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{PREFIX}{code}"}}


def _use_key(store_id: str, code: str, shopper: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"COUPONUSE#{code}#{shopper}"}}


def _to_data(coupon: Coupon) -> dict[str, Any]:
    return {
        "pk": coupon.store_id,
        "sk": f"{PREFIX}{coupon.code}",
        "type": "coupon",
        "code": coupon.code,
        "kind": coupon.kind.value,
        "value": coupon.value,
        "currency": coupon.currency,
        "min_subtotal": coupon.min_subtotal,
        "valid_from": coupon.valid_from,
        "valid_until": coupon.valid_until,
        "max_uses": coupon.max_uses,
        "max_uses_per_shopper": coupon.max_uses_per_shopper,
        "products": sorted(coupon.products),
        "categories": sorted(coupon.categories),
        "active": coupon.active,
        "uses": coupon.uses,
    }


def _from_data(data: dict[str, Any]) -> Coupon:
    return Coupon(
        store_id=data["pk"],
        code=data["code"],
        kind=CouponKind(data["kind"]),
        value=int(data["value"]),
        currency=data["currency"],
        min_subtotal=int(data.get("min_subtotal", 0)),
        valid_from=data.get("valid_from"),
        valid_until=data.get("valid_until"),
        max_uses=data.get("max_uses"),
        max_uses_per_shopper=data.get("max_uses_per_shopper"),
        products=frozenset(data.get("products", [])),
        categories=frozenset(data.get("categories", [])),
        active=bool(data.get("active", True)),
        uses=int(data.get("uses", 0)),
    )


@dataclass(frozen=True, slots=True)
class CountedUses:
    """Which of a code's counters hold a use to give back, as read: the code's own, the shopper's."""

    code: bool
    shopper: bool

    @staticmethod
    def of(coupon: Coupon | None, shopper_uses: int | None) -> CountedUses:
        return CountedUses(code=coupon is not None and coupon.uses > 0, shopper=bool(shopper_uses))


class CouponsRepository:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self.table = table
        self._client = dynamodb

    @property
    def _dynamodb(self) -> DynamoDBClient:
        return dynamodb_client(self._client)

    def coupon_read(self, store_id: str, code: str) -> Read[Coupon]:
        return Read(self.table, _key(store_id, code), _from_data)

    def uses_read(self, store_id: str, code: str, shopper: str) -> Read[int]:
        """A shopper's counted uses of a code; None (no item) when none were counted."""
        return Read(self.table, _use_key(store_id, code, shopper), lambda data: int(data.get("uses", 0)))

    def get(self, store_id: str, code: str) -> Coupon | None:
        response = self._dynamodb.get_item(TableName=self.table, Key=_key(store_id, code), ConsistentRead=True)
        return _from_data(from_item(response["Item"])) if "Item" in response else None

    def shopper_uses(self, store_id: str, code: str, shopper: str) -> int:
        response = self._dynamodb.get_item(TableName=self.table, Key=_use_key(store_id, code, shopper))
        return int(response["Item"]["uses"]["N"]) if "Item" in response else 0

    def of_store(self, store_id: str) -> list[Coupon]:
        coupons: list[Coupon] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":prefix": {"S": PREFIX}},
        }
        while True:
            response = self._dynamodb.query(**kwargs)
            coupons += [_from_data(from_item(i)) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return coupons
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def create(self, coupon: Coupon) -> None:
        dynamodb = self._dynamodb
        try:
            dynamodb.put_item(
                TableName=self.table, Item=to_item(_to_data(coupon)), ConditionExpression="attribute_not_exists(pk)"
            )
        except dynamodb.exceptions.ConditionalCheckFailedException as exc:
            raise Conflict(f"the code {coupon.code} exists already", field="code") from exc

    def replace(self, before: Coupon, after: Coupon) -> None:
        """Settings change; the use counter is the checkout's and is never written back from a stale read."""
        data = {k: v for k, v in _to_data(after).items() if k not in ("pk", "sk", "uses")}
        names = {f"#{k}": k for k in data}
        sets = [f"#{k} = :{k}" for k, v in data.items() if v is not None]
        removes = [f"#{k}" for k, v in data.items() if v is None]
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        dynamodb = self._dynamodb
        try:
            dynamodb.update_item(
                TableName=self.table,
                Key=_key(before.store_id, before.code),
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={f":{k}": to_value(v) for k, v in data.items() if v is not None},
            )
        except dynamodb.exceptions.ConditionalCheckFailedException as exc:
            raise NotFound("no such coupon", field="code") from exc

    def delete(self, store_id: str, code: str) -> bool:
        response = self._dynamodb.delete_item(TableName=self.table, Key=_key(store_id, code), ReturnValues="ALL_OLD")
        return "Attributes" in response

    def uses(self, coupon: Coupon, user: str) -> list[Write]:
        """The writes counting one use: refused (the transaction with them) past the code's limit or the user's.
        DynamoDB compares `uses < max_uses` on the item itself, so racing checkouts cannot overshoot."""
        writes: list[Write] = [
            {
                "Update": {
                    "TableName": self.table,
                    "Key": _key(coupon.store_id, coupon.code),
                    "UpdateExpression": "ADD uses :one",
                    "ConditionExpression": "active = :true AND (attribute_not_exists(max_uses) OR uses < max_uses)",
                    "ExpressionAttributeValues": {":one": {"N": "1"}, ":true": {"BOOL": True}},
                }
            }
        ]
        if coupon.max_uses_per_shopper is not None:
            writes.append(
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": _use_key(coupon.store_id, coupon.code, user),
                        "UpdateExpression": "ADD uses :one",
                        "ConditionExpression": "attribute_not_exists(uses) OR uses < :limit",
                        "ExpressionAttributeValues": {
                            ":one": {"N": "1"},
                            ":limit": {"N": str(coupon.max_uses_per_shopper)},
                        },
                    }
                }
            )
        return writes

    def given_back(self, store_id: str, code: str, user: str, counted: CountedUses) -> list[Write]:
        """The writes undoing one counted use (a failed checkout's, a cancelled order's), for the transaction that
        ends what used it, so a retry finds that ended and gives nothing back twice. Only counters read above
        zero go down, each conditioned on staying at least zero: a counter deleted or reset meanwhile fails the
        transaction (its part), and the caller reads again."""
        keys = [_key(store_id, code)] if counted.code else []
        keys += [_use_key(store_id, code, user)] if counted.shopper else []
        return [
            {
                "Update": {
                    "TableName": self.table,
                    "Key": key,
                    "UpdateExpression": "ADD uses :minus",
                    "ConditionExpression": "uses > :zero",
                    "ExpressionAttributeValues": {":minus": {"N": "-1"}, ":zero": {"N": "0"}},
                }
            }
            for key in keys
        ]
