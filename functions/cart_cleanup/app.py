"""The hourly stale-cart cleanup (EventBridge schedule): deletes carts past their expiry, each only if no shopper
touched it since it was found. See sales/services/cart_cleanup.py.
"""

from __future__ import annotations

import time
from typing import Any

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import sales

SAFETY_MS = 5_000  # stop deleting this long before the function's timeout; the next run goes on


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from nozzly.sales.services.cart_cleanup import remove_stale_carts

    report = remove_stale_carts(
        sales.carts_repository(),
        time.time(),
        out_of_time=lambda: context.get_remaining_time_in_millis() < SAFETY_MS,
    )
    logger.info("stale carts removed", extra=report.as_dict())
    metrics.add_metric(name="StaleCartsDeleted", unit="Count", value=report.deleted)
    return report.as_dict()
