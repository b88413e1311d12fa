"""Domain events onto the EventBridge bus."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final

from nozzly.kernel.adapters import correlation
from nozzly.kernel.adapters.aws import client

SOURCE_PREFIX = "nozzly."
PUT_EVENTS_MAX: Final = 10  # entries in one PutEvents call (EventBridge's limit)


class PublishFailed(Exception):
    pass


class EventPublisher:
    def __init__(self, bus_name: str) -> None:
        self.bus_name = bus_name

    def publish(self, source: str, detail_type: str, detail: dict[str, Any]) -> None:
        self.publish_all(source, [(detail_type, detail)])

    def publish_all(self, source: str, events: Sequence[tuple[str, dict[str, Any]]]) -> None:
        """Many events, 10 to a call (a bulk change of 100 products is 10 calls, not 100). Entries EventBridge
        refused are sent once more on their own; what still fails raises PublishFailed naming it."""
        entries = [
            {
                "EventBusName": self.bus_name,
                "Source": f"{SOURCE_PREFIX}{source}",
                "DetailType": detail_type,
                "Detail": json.dumps(correlation.stamped(detail)),
            }
            for detail_type, detail in events
        ]
        failed: list[dict[str, Any]] = []
        for start in range(0, len(entries), PUT_EVENTS_MAX):
            failed += self._put(entries[start : start + PUT_EVENTS_MAX])
        if failed:
            failed = self._put(failed)
        if failed:
            raise PublishFailed(json.dumps([e["DetailType"] for e in failed]))

    def _put(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The entries of this call EventBridge did not take (its answer lists them in order)."""
        response = client("events").put_events(Entries=entries)
        if not response.get("FailedEntryCount"):
            return []
        return [e for e, result in zip(entries, response["Entries"], strict=False) if result.get("ErrorCode")]
