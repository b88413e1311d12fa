"""Pushes the store events (template.yaml's rule lists them) to every connection in the rooms they reach."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from nozzly.observability import lambda_entry
from nozzly.wiring import realtime


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    at = datetime.fromisoformat(event["time"].replace("Z", "+00:00")) if event.get("time") else datetime.now(UTC)
    fanout = realtime.notifier().notify(str(event.get("detail-type") or ""), event.get("detail") or {}, at)
    return {"rooms": fanout.rooms, "delivered": fanout.delivered, "pruned": fanout.pruned, "failed": fanout.failed}
