"""Abandoned-cart reminders (EventBridge schedule): one email per cart at 1 h, 24 h and 72 h untouched, never
after it became an order. See sales/services/cart_reminders.py.
"""

from __future__ import annotations

import time
from typing import Any

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import sales

SAFETY_MS = 5_000  # stop claiming this long before the function's timeout; the next run goes on


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, int | bool]:
    report = sales.cart_reminder_sender().run(
        time.time(), out_of_time=lambda: context.get_remaining_time_in_millis() < SAFETY_MS
    )
    logger.info("cart reminders sent", extra=report.as_dict())
    metrics.add_metric(name="CartRemindersSent", unit="Count", value=report.sent)
    return report.as_dict()
