"""Admitting a request to a public route: within its address's per-minute limit for the route group, or 429."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.traffic.adapters.ip_windows import IpWindows
from nozzly.traffic.domain.rate_limits import RateLimits, window_for


@dataclass(frozen=True, slots=True)
class PublicLimits:
    windows: IpWindows
    limits: RateLimits
    group: str  # this function's route group (its service name)
    clock: Callable[[], float] = field(default=time.time)

    def admit(self, ip: str) -> None:
        """Count the request; raises TooManyRequests (Retry-After: the window's end) when over the limit."""
        now = self.clock()
        window = window_for(self.limits, self.group, ip, now)
        if window is not None:
            self.windows.take(window, now)
