"""A LivePush that delivers nothing: the placeholder until the realtime capability is merged.

The realtime merge replaces it in wiring/notifications.py with the adapter that posts to the person's room
(`operator:{sub}`, `shopper:{store}:{sub}`) through the WebSocket API's connections.
"""

from __future__ import annotations

__all__ = ["PushNotWired"]


class PushNotWired:
    """Does nothing, on purpose, ONLY until the realtime merge replaces it: inboxes still fill, nobody is pushed."""

    def push(self, room: str, message: dict[str, object]) -> None:
        return None
