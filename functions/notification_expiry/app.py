"""The notifications table's stream, filtered to removals: the TTL removing an unread notification takes it off
its inbox's unread count (services/expiry.py), once per notification however often a record comes.

Batch item failures are reported through Powertools: a failed record (and those after it in its shard) comes again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from nozzly.observability import lambda_entry
from nozzly.wiring import notifications

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord


processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def _record(record: DynamoDBRecord) -> None:
    notifications.expiry().removed(dict(record.raw_event))


def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(process_partial_response(event=event, record_handler=_record, processor=processor, context=context))


handler = lambda_entry(_handle)
