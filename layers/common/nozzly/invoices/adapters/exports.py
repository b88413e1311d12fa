"""Month exports in the invoices table, `pk={store}, sk=EXPORT#{export id}`, and the queue that runs them.

Created `attribute_not_exists(pk)`; the exporter moves it along with plain updates (one exporter per export: the
queue's message), and a finished export is never moved again (`#state <> :done`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nozzly.invoices.domain.exports import Export, ExportState
from nozzly.kernel.adapters.aws import client, dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


def _key(store_id: str, export_id: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": store_id}, "sk": {"S": f"EXPORT#{export_id}"}}


@dataclass(frozen=True)
class ExportsRepository:
    table: str
    client: DynamoDBClient | None = None

    def create(self, export: Export) -> None:
        data = {
            "pk": export.store_id,
            "sk": f"EXPORT#{export.export_id}",
            "export_id": export.export_id,
            "month": export.month,
            "state": export.state.value,
            "requested_by": export.requested_by,
            "requested_at": export.requested_at,
            "total": export.total,
            "done": export.done,
        }
        dynamodb_client(self.client).put_item(
            TableName=self.table, Item=to_item(data), ConditionExpression="attribute_not_exists(pk)"
        )

    def get(self, store_id: str, export_id: str) -> Export | None:
        item = (
            dynamodb_client(self.client)
            .get_item(TableName=self.table, Key=_key(store_id, export_id), ConsistentRead=True)
            .get("Item")
        )
        if item is None:
            return None
        d = from_item(item)
        return Export(
            store_id=store_id,
            export_id=d["export_id"],
            month=d["month"],
            state=ExportState(d["state"]),
            requested_by=d["requested_by"],
            requested_at=int(d["requested_at"]),
            total=int(d.get("total", 0)),
            done=int(d.get("done", 0)),
            error=d.get("error"),
        )

    def progress(
        self, store_id: str, export_id: str, state: ExportState, *, total: int, done: int, error: str = ""
    ) -> None:
        values: dict[str, Any] = {":s": state.value, ":t": total, ":d": done, ":done": ExportState.DONE.value}
        expression = "SET #state = :s, #total = :t, #done = :d"
        if error:
            expression += ", #error = :e"
            values[":e"] = error
        client_ = dynamodb_client(self.client)
        try:
            client_.update_item(
                TableName=self.table,
                Key=_key(store_id, export_id),
                UpdateExpression=expression,
                ConditionExpression="attribute_exists(pk) AND #state <> :done",
                ExpressionAttributeNames={"#state": "state", "#total": "total", "#done": "done"}
                | ({"#error": "error"} if error else {}),
                ExpressionAttributeValues={k: v for k, v in to_item(values).items()},
            )
        except client_.exceptions.ConditionalCheckFailedException:
            return  # finished already (a redelivered message): nothing moves a finished export


@dataclass(frozen=True)
class ExportQueue:
    url: str

    def enqueue(self, store_id: str, export_id: str) -> None:
        client("sqs").send_message(QueueUrl=self.url, MessageBody=json.dumps({"store": store_id, "export": export_id}))
