"""Sales aggregates from the orders table's stream (SalesAnalytics): every order change brings its contribution
to the store's daily counters up to date, exactly once (analytics/services/sales_aggregation.py).

Batch item failures are reported through Powertools: a failed record (and those after it in its shard) comes
again; a record already applied is recognised by its order's version and changes nothing. After each batch, the
stores whose figures moved get a DashboardCounters event (analytics/services/live_counters.py). Nightly, the schedule
brings every recent order's contribution up to date (analytics/services/sales_repair.py) and counts the drift.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import analytics, stores

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord


processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def _record(record: DynamoDBRecord) -> None:
    analytics.sales_aggregation().handle(dict(record.raw_event))


def _repair() -> dict[str, Any]:
    import time

    behind = {
        store_id: analytics.sales_repair().run(store_id, time.time())
        for store_id in stores.stores_repository().list_store_ids()
    }
    drift = sum(behind.values())
    metrics.add_metric(name="SalesAggregatesRepaired", unit="Count", value=drift)
    if drift:
        logger.warning("sales aggregates were behind", extra={"orders": {k: v for k, v in behind.items() if v}})
    return {"stores": len(behind), "repaired": drift}


def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    aggregation = analytics.sales_aggregation()
    aggregation.forget_zones()  # a store's new time zone counts from the next batch
    aggregation.take_applied()  # what an earlier invocation left (a failed batch's stores are pushed on its retry)
    if event.get("detail-type") == "Scheduled Event":
        return _repair()
    response = process_partial_response(event=event, record_handler=_record, processor=processor, context=context)
    # After the batch's writes: each store whose figures moved gets them pushed to its open dashboards.
    analytics.live_counters().announce(aggregation.take_applied())
    return dict(response)


handler = lambda_entry(_handle)
