"""Transactional order emails, reached by an EventBridge rule: OrderPlaced and the events that follow it."""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry
from nozzly.wiring import orders


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, str]:
    outcome = orders.order_emails().on_event(str(event.get("detail-type")), event.get("detail") or {})
    return {"outcome": outcome}
