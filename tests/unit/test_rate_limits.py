"""Per-IP limits of the public routes (traffic/domain/rate_limits.py), the local stage throttle, readiness caching."""

from __future__ import annotations

import pytest

from localcloud.edge import StageThrottle
from nozzly.kernel.adapters.readiness import CachedChecks, CheckResult
from nozzly.traffic.domain.rate_limits import BadLimits, RateLimits, window_for

pytestmark = pytest.mark.unit


def test_a_group_has_its_own_limit_or_the_default() -> None:
    limits = RateLimits.parse('{"default": 100, "shopper-auth": 20, "payment-webhooks": 0}')

    assert (limits.limit_for("shopper-auth"), limits.limit_for("storefront-catalog")) == (20, 100)
    assert window_for(limits, "payment-webhooks", "203.0.113.9", 1000.0) is None  # 0: no limit


def test_without_configuration_every_group_gets_100_a_minute() -> None:
    assert RateLimits.parse("").limit_for("anything") == 100
    assert RateLimits.parse('{"shop-pages": 5}').limit_for("other") == 100


@pytest.mark.parametrize("text", ["[1]", '{"default": -1}', '{"default": "100"}', '{"a": true}', "{"])
def test_a_malformed_configuration_is_refused(text: str) -> None:
    with pytest.raises(BadLimits):
        RateLimits.parse(text)


def test_a_window_is_the_current_minute_and_retry_after_counts_to_its_end() -> None:
    window = window_for(RateLimits.parse(""), "storefront-catalog", "203.0.113.9", 1_000_000_045.2)

    assert window is not None
    assert (window.start, window.end, window.limit) == (1_000_000_020, 1_000_000_080, 100)
    assert window.retry_after(1_000_000_045.2) == 35  # rounded up: never "0 seconds"
    assert window.retry_after(1_000_000_079.9) == 1


def test_the_stage_throttle_allows_a_burst_then_refills_at_the_rate() -> None:
    now = [0.0]
    throttle = StageThrottle(rate=2, burst=3, clock=lambda: now[0])

    assert [throttle.admit("GET /a") for _ in range(3)] == [None, None, None]
    refused = throttle.admit("GET /a")
    assert refused is not None and refused.status == 429 and b"Too Many Requests" in refused.body
    assert throttle.admit("GET /b") is None  # per route, as API Gateway's default route settings
    now[0] = 0.5  # one token back at 2 a second
    assert throttle.admit("GET /a") is None and throttle.admit("GET /a") is not None


def test_the_stage_throttle_reads_the_templates_default_route_settings() -> None:
    throttle = StageThrottle.of({"ThrottlingBurstLimit": "500", "ThrottlingRateLimit": "1000"})

    assert (throttle.burst, throttle.rate) == (500, 1000.0)


def test_readiness_is_checked_again_only_after_its_cache_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def checks(tables: dict[str, str], buckets: dict[str, str]) -> list[CheckResult]:
        calls.append(1)
        return [CheckResult("StoresTable", len(calls) == 1, "")]

    monkeypatch.setattr("nozzly.kernel.adapters.readiness.run_checks", checks)
    now = [100.0]
    cached = CachedChecks(5, clock=lambda: now[0])

    assert cached.run({}, {})[0].ok and cached.run({}, {})[0].ok and len(calls) == 1
    now[0] = 105.0
    assert not cached.run({}, {})[0].ok and len(calls) == 2
