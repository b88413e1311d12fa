"""What an operator asked for when entering a manual order: orders table items `pk={store}, sk=MANUAL#{order id}`
(the order id is sha256(store, key)), written in the order's own transaction.

The order item keeps the order; this one keeps the request's fingerprint, so the same Idempotency-Key sent with
another request is told apart from a retry even after the order changed (paid, shipped).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nozzly.kernel.adapters.batch import Read
from nozzly.kernel.adapters.dynamo import to_item

PREFIX = "MANUAL#"


@dataclass(frozen=True, slots=True)
class ManualOrderRecord:
    order_id: str
    fingerprint: str
    by: str
    created_at: int


def _key(store_id: str, order_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"{PREFIX}{order_id}"}}


def _record(data: dict[str, Any]) -> ManualOrderRecord:
    return ManualOrderRecord(data["order_id"], data["fingerprint"], data["by"], int(data["created_at"]))


class ManualOrderRequests:
    def __init__(self, table: str) -> None:
        self.table = table

    def record_read(self, store_id: str, order_id: str) -> Read[ManualOrderRecord]:
        return Read(self.table, _key(store_id, order_id), _record)

    def put_op(self, store_id: str, record: ManualOrderRecord) -> dict[str, Any]:
        """The request's record, only if its key named no order yet."""
        data = {
            "pk": store_id,
            "sk": f"{PREFIX}{record.order_id}",
            "type": "manual_order_request",
            "order_id": record.order_id,
            "fingerprint": record.fingerprint,
            "by": record.by,
            "created_at": record.created_at,
        }
        return {
            "Put": {"TableName": self.table, "Item": to_item(data), "ConditionExpression": "attribute_not_exists(pk)"}
        }
