"""Invoices and credit notes in the invoices table. Every key starts with the store.

| item | pk | sk | attributes |
|---|---|---|---|
| sequence | `{store}` | `SEQ#{kind}#{year}` | last (the last number issued; absent item: none yet) |
| document | `{store}` | `DOC#{kind}#{year}#{number, 9 digits}` | issued_key, doc (the whole document) |
| guard | `{store}` | `FOR#{order}#{key}` | document (the document's sk): one document per order and key |

Issuing is one TransactWriteItems (`issue_writes`): the sequence moved from the value read to the next one
(condition: still the value read), the document Put and its guard Put (both `attribute_not_exists(pk)`). Two
payments landing at once read the same value and one of them fails its sequence condition and tries again with
the next; a retried step finds the guard taken and writes nothing. The sequence only ever moves in the write that
stores its document, so a number is never skipped nor given twice.

The LSI `by_issued` sorts documents by `issued_key` = `{issued_at, 12 digits}#{kind}#{number}` (operators' listing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from nozzly.invoices.adapters.document_codec import document_data, document_from_data
from nozzly.invoices.domain.documents import DocumentKind, Page, TaxDocument
from nozzly.kernel.adapters import cursor as cursors
from nozzly.kernel.adapters.aws import dynamodb_client
from nozzly.kernel.adapters.dynamo import from_item, to_item, to_value
from nozzly.kernel.adapters.unit_of_work import Write

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

ISSUED_INDEX = "by_issued"
_INDEX_KEYS = {"pk", "sk", "issued_key"}


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def sequence_sk(kind: DocumentKind, year: int) -> str:
    return f"SEQ#{kind.value}#{year}"


def document_sk(kind: DocumentKind, year: int, number: int) -> str:
    return f"DOC#{kind.value}#{year}#{number:09d}"


def guard_sk(order_id: str, key: str) -> str:
    return f"FOR#{order_id}#{key}"


@dataclass(frozen=True)
class InvoicesRepository:
    table: str
    client: DynamoDBClient | None = None

    def _get(self, store_id: str, sk: str) -> dict[str, Any] | None:
        item = (
            dynamodb_client(self.client)
            .get_item(TableName=self.table, Key={"pk": _s(store_id), "sk": _s(sk)}, ConsistentRead=True)
            .get("Item")
        )
        return from_item(item) if item else None

    def last_number(self, store_id: str, kind: DocumentKind, year: int) -> int:
        """The last number the store issued of this kind in this year; 0 for none."""
        found = self._get(store_id, sequence_sk(kind, year))
        return int(found["last"]) if found else 0

    def issue_writes(self, doc: TaxDocument, last: int) -> tuple[Write, Write, Write]:
        """(sequence, document, guard): the writes that issue `doc` (numbered last + 1) if the sequence is still at
        `last` and the order has no document under `doc.key` yet."""
        assert doc.number == last + 1
        sequence: Write = {
            "Update": {
                "TableName": self.table,
                "Key": {"pk": _s(doc.store_id), "sk": _s(sequence_sk(doc.kind, doc.year))},
                "UpdateExpression": "SET #last = :next",
                "ConditionExpression": "attribute_not_exists(pk)" if last == 0 else "#last = :last",
                "ExpressionAttributeNames": {"#last": "last"},
                "ExpressionAttributeValues": {":next": {"N": str(last + 1)}}
                | ({} if last == 0 else {":last": {"N": str(last)}}),
            }
        }
        sk = document_sk(doc.kind, doc.year, doc.number)
        document = {
            "pk": doc.store_id,
            "sk": sk,
            "issued_key": f"{doc.issued_at:012d}#{doc.kind.value}#{doc.number_text}",
            "doc": document_data(doc),
        }
        guard = {"pk": doc.store_id, "sk": guard_sk(doc.order_id, doc.key), "document": sk}
        return (
            sequence,
            {
                "Put": {
                    "TableName": self.table,
                    "Item": to_item(document),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {
                "Put": {
                    "TableName": self.table,
                    "Item": to_item(guard),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
        )

    def for_order(self, store_id: str, order_id: str, key: str) -> TaxDocument | None:
        """The document issued for this order under `key` ("invoice", or a refund's id), if any."""
        guard = self._get(store_id, guard_sk(order_id, key))
        if guard is None:
            return None
        found = self._get(store_id, str(guard["document"]))
        return document_from_data(found["doc"]) if found else None

    def get(self, store_id: str, kind: DocumentKind, year: int, number: int) -> TaxDocument | None:
        found = self._get(store_id, document_sk(kind, year, number))
        return document_from_data(found["doc"]) if found else None

    def issued_between(self, store_id: str, start: int, end: int, *, limit: int, cursor: str | None) -> Page:
        """Documents issued from `start` to `end` (epoch seconds, both included), oldest first, one page."""
        args: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": ISSUED_INDEX,
            "KeyConditionExpression": "pk = :pk AND issued_key BETWEEN :from AND :to",
            "ExpressionAttributeValues": {
                ":pk": _s(store_id),
                ":from": to_value(f"{start:012d}"),
                ":to": to_value(f"{end:012d}~"),
            },
            "Limit": limit,
        }
        if cursor:
            args["ExclusiveStartKey"] = cursors.decode(
                cursor, key_attrs=_INDEX_KEYS, partition_attr="pk", partition_value=store_id
            )
        answer = dynamodb_client(self.client).query(**args)
        documents = [document_from_data(from_item(i)["doc"]) for i in answer.get("Items", [])]
        return Page(documents, cursors.encode(answer.get("LastEvaluatedKey")))
