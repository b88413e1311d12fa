"""How many requests one IP address may make to a route group's public routes per minute. Pure.

A route group is a function's service name (storefront-catalog, shopper-auth, ...): its public routes share one
window per address. The configuration is one JSON object, the template's PublicRateLimits parameter:
`{"default": 100, "payment-webhooks": 0}` - a group's own limit, else "default"; 0 means no limit.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

WINDOW_SECONDS = 60
DEFAULT_LIMIT = 100


class BadLimits(ValueError):
    """The configuration is not a JSON object of non-negative integers."""


@dataclass(frozen=True, slots=True)
class RateLimits:
    default: int
    groups: dict[str, int]

    @classmethod
    def parse(cls, text: str) -> RateLimits:
        """The limits a PublicRateLimits value sets; an empty value is the default for every group."""
        if not text.strip():
            return cls(DEFAULT_LIMIT, {})
        try:
            found = json.loads(text)
        except ValueError as error:
            raise BadLimits(f"PublicRateLimits is not JSON: {error}") from error
        if not isinstance(found, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in found.values()
        ):
            raise BadLimits("PublicRateLimits must map route groups to whole numbers >= 0")
        groups = {str(k): int(v) for k, v in found.items()}
        return cls(groups.pop("default", DEFAULT_LIMIT), groups)

    def limit_for(self, group: str) -> int:
        return self.groups.get(group, self.default)


@dataclass(frozen=True, slots=True)
class IpWindow:
    """One address's count for one group from start to end (a fixed minute)."""

    group: str
    ip: str
    start: int
    end: int
    limit: int

    def retry_after(self, now: float) -> int:
        """Whole seconds until the window ends (at least 1): what Retry-After says."""
        return max(1, math.ceil(self.end - now))


def window_for(limits: RateLimits, group: str, ip: str, now: float) -> IpWindow | None:
    """The window a request counts in; None when the group has no limit."""
    limit = limits.limit_for(group)
    if limit == 0:
        return None
    start = int(now) - int(now) % WINDOW_SECONDS
    return IpWindow(group, ip, start, start + WINDOW_SECONDS, limit)
