"""The port through which a saved notification is also pushed live to its recipient, when connected."""

from __future__ import annotations

from typing import Protocol

__all__ = ["LivePush"]


class LivePush(Protocol):
    def push(self, room: str, message: dict[str, object]) -> None:
        """Deliver `message` to whoever is connected in `room` (nobody connected: nothing happens)."""
        ...
