"""Coupons in the stores table: `pk={store}, sk=COUPON#{CODE}`; uses counted on the item itself.

Per-shopper uses are items `COUPONUSE#{CODE}#{sub}`, written by the checkout with the coupon's counter in
one transaction (conditions: `uses < max_uses`, and the shopper's count below their limit).
"""

from __future__ import annotations

from typing import Any

from nozzly.kernel.adapters.aws import client
from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import from_item, to_item, to_value
from nozzly.kernel.domain.errors import Conflict, NotFound
from nozzly.promotions.domain.coupons import Coupon, CouponKind

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


class CouponsRepository:
    def __init__(self, table: str) -> None:
        self.table = table

    def coupon_read(self, store_id: str, code: str) -> Read[Coupon]:
        return Read(self.table, _key(store_id, code), _from_data)

    def uses_read(self, store_id: str, code: str, shopper: str) -> Read[int]:
        return Read(self.table, _use_key(store_id, code, shopper), lambda data: int(data.get("uses", 0)))

    def get(self, store_id: str, code: str) -> Coupon | None:
        response = client("dynamodb").get_item(TableName=self.table, Key=_key(store_id, code), ConsistentRead=True)
        return _from_data(from_item(response["Item"])) if "Item" in response else None

    def shopper_uses(self, store_id: str, code: str, shopper: str) -> int:
        response = client("dynamodb").get_item(TableName=self.table, Key=_use_key(store_id, code, shopper))
        return int(response["Item"]["uses"]["N"]) if "Item" in response else 0

    def of_store(self, store_id: str) -> list[Coupon]:
        coupons: list[Coupon] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":prefix": {"S": PREFIX}},
        }
        while True:
            response = client("dynamodb").query(**kwargs)
            coupons += [_from_data(from_item(i)) for i in response["Items"]]
            if "LastEvaluatedKey" not in response:
                return coupons
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def create(self, coupon: Coupon) -> None:
        dynamodb = client("dynamodb")
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
        dynamodb = client("dynamodb")
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
        response = client("dynamodb").delete_item(
            TableName=self.table, Key=_key(store_id, code), ReturnValues="ALL_OLD"
        )
        return "Attributes" in response

    def use_ops(self, coupon: Coupon, user: str) -> list[dict[str, Any]]:
        """Transaction items counting one use: refused (the transaction with it) past the code's limit or the
        user's. DynamoDB compares `uses < max_uses` on the item itself, so racing checkouts cannot overshoot."""
        ops: list[dict[str, Any]] = [
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
            ops.append(
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
        return ops

    def give_back(self, store_id: str, code: str, user: str) -> None:
        """Undo use_ops for a checkout that failed after counting. Separate from the stock release: a coupon
        deleted meanwhile must not keep stock held. Each counter goes down only if it is above zero."""
        dynamodb = client("dynamodb")
        for key in (_key(store_id, code), _use_key(store_id, code, user)):
            try:
                dynamodb.update_item(
                    TableName=self.table,
                    Key=key,
                    UpdateExpression="ADD uses :minus",
                    ConditionExpression="uses > :zero",
                    ExpressionAttributeValues={":minus": {"N": "-1"}, ":zero": {"N": "0"}},
                )
            except dynamodb.exceptions.ConditionalCheckFailedException:
                continue
