"""How long a connection and its rooms are kept, how often a store may broadcast, and the replies a client
gets on its socket. Pure Python."""

from __future__ import annotations

from typing import Any, Final

CONNECTION_TTL_SECONDS: Final = 2 * 3600  # API Gateway closes a WebSocket after 2 hours: nothing outlives it
BROADCAST_EVERY_SECONDS: Final = 60  # one announcement a minute per store: shoppers are not to be spammed


def reply(kind: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, **fields}


def refusal(code: str, message: str, **fields: Any) -> dict[str, Any]:
    """Every refusal is answered on the socket and changes nothing (never a half-joined room)."""
    return {"type": "error", "error": code, "message": message, **fields}
