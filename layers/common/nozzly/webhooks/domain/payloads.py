"""The JSON body of a delivery: stable and versioned, so receivers can rely on its shape.

`{"type", "api_version", "id", "created_at", "data"}`: `id` is the bus event's id (one event, one id for every
endpoint and every retry), `data` the event's detail with the store named. Money in `data` stays in integer
minor units with its currency, as everywhere in Nozzly.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from nozzly.webhooks.domain.catalogue import API_VERSION


def payload(event_type: str, event_id: str, created_at: str, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": event_type,
        "api_version": API_VERSION,
        "id": event_id,
        "created_at": created_at,
        "data": dict(data),
    }


def body_bytes(document: Mapping[str, Any]) -> bytes:
    """The exact bytes sent and signed: compact, keys sorted, so a redelivery sends the same bytes."""
    return json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
