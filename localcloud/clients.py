"""boto3 clients for the local cloud's own use (provisioning, seeding, schedules), pointed at the emulator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from localcloud.template import REGION

ClientFactory = Callable[[str], Any]


def aws_clients(endpoint: str) -> ClientFactory:
    """One cached client per service; the emulator accepts any credentials."""
    import boto3

    session = boto3.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION)
    cache: dict[str, Any] = {}

    def client(service: str) -> Any:
        if service not in cache:
            cache[service] = session.client(service, endpoint_url=endpoint)  # type: ignore[call-overload]
        return cache[service]

    return client
