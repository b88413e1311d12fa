"""The store's recent-activity feed, reached by an EventBridge rule on the store events (template.yaml lists
them): each becomes one line in the analytics table, keyed by the event's id, so a redelivery rewrites it."""

from __future__ import annotations

from typing import Any

from nozzly.analytics.domain.business_metrics import event_figures
from nozzly.observability import lambda_entry, record_figures
from nozzly.wiring import analytics


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, str | None]:
    recorded = analytics.activity_feed().record(event)
    # The dashboard's orders, revenue, payments and refunds: this rule sees every one of those events.
    record_figures(event_figures(str(event.get("detail-type", "")), event.get("detail") or {}))
    return {"kind": recorded.kind if recorded is not None else None}
