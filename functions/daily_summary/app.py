"""The owner's daily summary email (EventBridge schedule, hourly): yesterday's sales to each store that opted in,
once its local morning has come, once per store and day. See analytics/services/daily_summary.py.
"""

from __future__ import annotations

import time
from typing import Any

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import analytics

SAFETY_MS = 10_000  # stop starting stores this long before the function's timeout; the next run goes on


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, int | bool]:
    report = analytics.daily_summary_sender().run(
        time.time(), out_of_time=lambda: context.get_remaining_time_in_millis() < SAFETY_MS
    )
    logger.info("daily summaries sent", extra=report.as_dict())
    metrics.add_metric(name="DailySummariesSent", unit="Count", value=report.sent)
    return report.as_dict()
