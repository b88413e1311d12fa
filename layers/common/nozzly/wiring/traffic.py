"""Per-IP limits of the public routes (nozzly.traffic), for every HTTP function's app (nozzly.api)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nozzly.wiring import factory

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient

    from nozzly.traffic.services.public_limits import PublicLimits


@factory
def public_limits() -> PublicLimits:
    from nozzly.settings import RateLimitSettings, load
    from nozzly.traffic.adapters.ip_windows import IpWindows
    from nozzly.traffic.domain.rate_limits import RateLimits
    from nozzly.traffic.services.public_limits import PublicLimits

    s = load(RateLimitSettings)
    windows = IpWindows(s.identity_table, _counter_client())
    return PublicLimits(windows, RateLimits.parse(s.public_rate_limits), s.powertools_service_name)


def _counter_client() -> DynamoDBClient:
    """The limiter's own client: one attempt and one-second timeouts, because a counter that cannot be written
    lets the request through (PublicLimits) and must never hold it up for the shared client's retries."""
    import boto3
    from botocore.config import Config

    config = Config(retries={"total_max_attempts": 1}, connect_timeout=1, read_timeout=1)
    client: DynamoDBClient = boto3.client("dynamodb", config=config)
    return client
