"""Stock emails, reached by an EventBridge rule on LowStock and BackInStock (from StockWatcher)."""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry
from nozzly.wiring import catalog


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    return catalog.stock_emails().on_event(str(event.get("detail-type")), event.get("detail") or {})
