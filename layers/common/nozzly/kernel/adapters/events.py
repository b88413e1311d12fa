"""Domain events onto the EventBridge bus."""

from __future__ import annotations

import json
from typing import Any

from nozzly.kernel.adapters import correlation
from nozzly.kernel.adapters.aws import client

SOURCE_PREFIX = "nozzly."


class PublishFailed(Exception):
    pass


class EventPublisher:
    def __init__(self, bus_name: str) -> None:
        self.bus_name = bus_name

    def publish(self, source: str, detail_type: str, detail: dict[str, Any]) -> None:
        response = client("events").put_events(
            Entries=[
                {
                    "EventBusName": self.bus_name,
                    "Source": f"{SOURCE_PREFIX}{source}",
                    "DetailType": detail_type,
                    "Detail": json.dumps(correlation.stamped(detail)),
                }
            ]
        )
        if response.get("FailedEntryCount"):
            raise PublishFailed(json.dumps(response["Entries"]))
