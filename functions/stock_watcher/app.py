"""Stock alerts from the catalog table's stream: LowStock and BackInStock events, the attention list's items.

Batch item failures are reported through Powertools: a failed record (and those after it in its shard) comes
again; handling a record twice opens or closes no attention item twice and StockEmails sends each email once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from nozzly.observability import lambda_entry
from nozzly.wiring import catalog

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord


processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def _record(record: DynamoDBRecord) -> None:
    catalog.stock_watch().handle(dict(record.raw_event))


def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(process_partial_response(event=event, record_handler=_record, processor=processor, context=context))


handler = lambda_entry(_handle)
