"""Opaque pagination cursors: DynamoDB's LastEvaluatedKey, base64url-encoded.

A cursor is only accepted for the partition it came from, so a crafted cursor can never move a
query into another store's data; anything else is a 400.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from nozzly.kernel.domain.errors import InvalidInput


def encode(last_evaluated_key: dict[str, Any] | None) -> str | None:
    if not last_evaluated_key:
        return None
    raw = json.dumps(last_evaluated_key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, *, key_attrs: set[str], partition_attr: str, partition_value: str) -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key: Any = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput("cursor is not valid", field="cursor") from exc
    valid = (
        isinstance(key, dict)
        and set(key) == key_attrs  # DynamoDB rejects a start key of any other shape
        and key.get(partition_attr) == {"S": partition_value}
        and all(isinstance(v, dict) and list(v) == ["S"] and isinstance(v["S"], str) for v in key.values())
    )
    if not valid:
        raise InvalidInput("cursor does not belong to this listing", field="cursor")
    start_key: dict[str, Any] = key
    return start_key
