"""The daily Square token refresh (EventBridge schedule): every store's Square OAuth tokens that end within
SQUARE_REFRESH_WITHIN_DAYS are exchanged for new ones. See payments/services/square_connect.py."""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry, logger, metrics
from nozzly.wiring import payments


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    service, within_days = payments.square_connect(), payments.square_refresh_days()
    report = service.refresh_due(within_days)
    logger.info("square tokens refreshed", extra=report)
    metrics.add_metric(name="SquareTokensRefreshFailed", unit="Count", value=report["failed"])
    return report
