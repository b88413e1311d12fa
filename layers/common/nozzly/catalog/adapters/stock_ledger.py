"""The stock ledger: every change to a variant's stock on hand (catalog table, `STOCK#...` items): operators'
adjustments and the stock each fulfilment shipped.

An entry is written in the same transaction as the variant's new stock on hand, so the ledger and the
stock never disagree. Sort keys are time-ordered, so a variant's history is one Query, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nozzly.catalog.domain.stock import ShipmentReference, StockAdjustment, ledger_reason
from nozzly.kernel.adapters import cursor as cursors
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item
from nozzly.kernel.domain.errors import InvalidInput

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def _prefix(product: str, variant: str) -> str:
    # '#' never appears in a slug, so one variant's prefix is never the start of another's.
    return f"STOCK#{product}#{variant}#"


def _sk(adjustment: StockAdjustment) -> str:
    return f"{_prefix(adjustment.product, adjustment.variant)}{adjustment.at:013d}#{adjustment.adjustment_id}"


@dataclass(frozen=True, slots=True)
class AdjustmentPage:
    adjustments: list[StockAdjustment]
    next_cursor: str | None


class StockLedger:
    def __init__(self, table: str, dynamodb: DynamoDBClient | None = None) -> None:
        self._dynamodb = dynamodb
        self.table = table

    def entry_op(self, adjustment: StockAdjustment) -> dict[str, Any]:
        data = {
            "pk": adjustment.store_id,
            "sk": _sk(adjustment),
            "type": "stock_adjustment",
            "id": adjustment.adjustment_id,
            "product": adjustment.product,
            "variant": adjustment.variant,
            "delta": adjustment.delta,
            "reason": adjustment.reason.value,
            "note": adjustment.note,
            "on_hand_after": adjustment.on_hand_after,
            "by": adjustment.by,
            "at": adjustment.at,
        }
        if adjustment.shipment is not None:
            data |= {
                "order_id": adjustment.shipment.order_id,
                "order_number": adjustment.shipment.order_number,
                "fulfilment_id": adjustment.shipment.fulfilment_id,
            }
        return {
            "Put": {"TableName": self.table, "Item": to_item(data), "ConditionExpression": "attribute_not_exists(pk)"}
        }

    def list(self, store_id: str, product: str, variant: str, *, cursor: str | None, limit: int) -> AdjustmentPage:
        """A variant's adjustments, newest first."""
        prefix = _prefix(product, variant)
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": store_id}, ":prefix": {"S": prefix}},
            "ScanIndexForward": False,
            "Limit": limit,
            "ConsistentRead": True,
        }
        if cursor:
            start = cursors.decode(cursor, key_attrs={"pk", "sk"}, partition_attr="pk", partition_value=store_id)
            if not start["sk"]["S"].startswith(prefix):
                raise InvalidInput("cursor does not belong to this listing", field="cursor")
            kwargs["ExclusiveStartKey"] = start
        response = dynamodb_client(self._dynamodb).query(**kwargs)
        entries = [_entry(d) for d in map(from_item, response["Items"])]
        return AdjustmentPage(entries, cursors.encode(response.get("LastEvaluatedKey")))


def _entry(d: dict[str, Any]) -> StockAdjustment:
    shipment = None
    if "fulfilment_id" in d:
        shipment = ShipmentReference(d["order_id"], int(d["order_number"]), d["fulfilment_id"])
    return StockAdjustment(
        store_id=d["pk"],
        product=d["product"],
        variant=d["variant"],
        delta=d["delta"],
        reason=ledger_reason(d["reason"]),
        note=d.get("note", ""),
        on_hand_after=d["on_hand_after"],
        by=d["by"],
        at=d["at"],
        adjustment_id=d["id"],
        shipment=shipment,
    )
