"""The store's recent activity: StoreActivity records each bus event's line, the dashboard reads the newest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nozzly.analytics.adapters.activity import ActivityLog
from nozzly.analytics.domain.activity import Activity, ActivityEvent, describe
from nozzly.kernel.domain.errors import InvalidInput

__all__ = ["RECENT", "ActivityFeed", "event_from_bus"]

RECENT = 20
MAX_RECENT = 100


def _epoch_ms(time: object) -> int:
    """EventBridge's `time` is ISO 8601 to the second (`2026-12-03T22:41:07Z`)."""
    if not isinstance(time, str):
        raise InvalidInput("event has no time", field="time")
    try:
        return int(datetime.fromisoformat(time.replace("Z", "+00:00")).timestamp() * 1000)
    except ValueError as exc:
        raise InvalidInput(f"event time {time!r} is not ISO 8601", field="time") from exc


def event_from_bus(event: dict[str, Any]) -> ActivityEvent:
    """An EventBridge event (as a rule hands it to Lambda) in the feed's terms."""
    event_id = event.get("id")
    if not isinstance(event_id, str) or not event_id:
        raise InvalidInput("event has no id", field="id")
    detail = event.get("detail")
    return ActivityEvent(
        event_id=event_id,
        source=str(event.get("source") or ""),
        detail_type=str(event.get("detail-type") or ""),
        at=_epoch_ms(event.get("time")),
        detail=detail if isinstance(detail, dict) else {},
    )


@dataclass(frozen=True)
class ActivityFeed:
    log: ActivityLog

    def record(self, event: dict[str, Any]) -> Activity | None:
        """Write the event's line (idempotent per event id); None when the feed leaves the event out."""
        found = event_from_bus(event)
        activity = describe(found)
        if activity is not None and found.store_id is not None:
            self.log.put(found, activity, found.store_id)
        return activity

    def recent(self, store_id: str, limit: int = RECENT) -> list[Activity]:
        """The newest `limit` lines, newest first: one DynamoDB Query. Callers check the reader's access."""
        return self.log.recent(store_id, max(1, min(limit, MAX_RECENT)))
