"""Win-back emails and the email flows' conversions: OrderPlaced (EventBridge rule) records the address's last
order and credits the order to a recent click; the daily schedule sends the win-backs due. See
orders/services/win_back.py.
"""

from __future__ import annotations

import time
from typing import Any

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import marketing

SAFETY_MS = 5_000  # stop this long before the function's timeout; the next run goes on


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    win_back = marketing.win_back()
    if event.get("detail-type") == "OrderPlaced":
        detail = event.get("detail") or {}
        return win_back.order_placed(str(detail["store_id"]), str(detail["order_id"]))
    report = win_back.run(time.time(), out_of_time=lambda: context.get_remaining_time_in_millis() < SAFETY_MS)
    logger.info("win-backs sent", extra=report.as_dict())
    metrics.add_metric(name="WinBacksSent", unit="Count", value=report.sent)
    return report.as_dict()
