"""Shoppers' live passes (realtime/domain/passes.py): minted by the shop pages that verified the shopper, checked
by the WebSocket authorizer."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.realtime.domain.passes import RENEW_BEFORE_SECONDS, is_shopper_pass, pass_expires, shopper_pass


@dataclass(frozen=True)
class LivePasses:
    key: Callable[[], str]  # the platform key's current value ("" when not configured)
    clock: Callable[[], float] = field(default=time.time)

    def mint(self, store_id: str, sub: str) -> str | None:
        return shopper_pass(self.key().encode(), store_id, sub, self.clock())

    def admits(self, store_id: str, sub: str, candidate: object) -> bool:
        return is_shopper_pass(self.key().encode(), store_id, sub, candidate, self.clock())

    def due(self, held: str | None) -> bool:
        """Whether a page should mint a new pass: none held, or the one held ends within the hour."""
        expires = pass_expires(held) if held else None
        return expires is None or expires - self.clock() < RENEW_BEFORE_SECONDS
