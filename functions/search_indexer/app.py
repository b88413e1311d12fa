"""Keeps the storefront search index in step with every product write, from the catalog table's stream.

Batch item failures are reported through Powertools: the stream delivers a failed record (and those after it
in its shard) again, and re-indexing is idempotent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from nozzly.observability import lambda_entry, logger
from nozzly.wiring import search

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord


processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


class IndexWriteFailed(Exception):
    """A posting list this record changes could not be written; the stream will deliver the record again."""


def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from nozzly.search.services.search_indexing import index_records

    records = event.get("Records", [])
    failed = index_records(search.search_index(), records)
    if failed:
        logger.warning("search index writes failed", extra={"records": len(failed), "batch": len(records)})

    def record_handler(record: DynamoDBRecord) -> None:
        if record.dynamodb is not None and record.dynamodb.sequence_number in failed:
            raise IndexWriteFailed(record.dynamodb.sequence_number)

    return dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )


handler = lambda_entry(_handle)
