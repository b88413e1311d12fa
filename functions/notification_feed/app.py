"""The bus's domain events into inboxes (EventBridge rule; template.yaml lists the detail types): each event's
notification for the store's operators and the order's shopper, written once however often it is delivered."""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry
from nozzly.wiring import notifications


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    return {"written": len(notifications.notifier().consume(event))}
