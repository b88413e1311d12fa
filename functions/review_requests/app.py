"""Review requests: OrderDelivered (EventBridge rule) schedules one per order; the hourly schedule sends those
due. See orders/services/review_requests.py.
"""

from __future__ import annotations

import time
from typing import Any

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import marketing

SAFETY_MS = 5_000  # stop this long before the function's timeout; the next run goes on


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    requests = marketing.review_requests()
    if event.get("detail-type") == "OrderDelivered":
        detail = event.get("detail") or {}
        return {"outcome": requests.delivered(str(detail["store_id"]), str(detail["order_id"]))}
    report = requests.run(time.time(), out_of_time=lambda: context.get_remaining_time_in_millis() < SAFETY_MS)
    logger.info("review requests sent", extra=report.as_dict())
    metrics.add_metric(name="ReviewRequestsSent", unit="Count", value=report.sent)
    return report.as_dict()
