"""Per-IP limits of the public routes (nozzly.traffic), for every HTTP function's app (nozzly.api)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from nozzly.traffic.services.public_limits import PublicLimits


@factory
def public_limits() -> PublicLimits:
    from nozzly.settings import RateLimitSettings, load
    from nozzly.traffic.adapters.ip_windows import IpWindows
    from nozzly.traffic.domain.rate_limits import RateLimits
    from nozzly.traffic.services.public_limits import PublicLimits

    s = load(RateLimitSettings)
    return PublicLimits(IpWindows(s.identity_table), RateLimits.parse(s.public_rate_limits), s.powertools_service_name)
