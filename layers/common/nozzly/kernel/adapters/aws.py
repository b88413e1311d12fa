"""boto3 clients, created once per container on first use.

boto3 is imported here, lazily: a function that never touches AWS (or not on every path) does not
pay ~250 ms of cold start for it. AWS_ENDPOINT_URL (set by the local cloud) redirects every client.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        service,  # type: ignore[call-overload]  # the stubs only know literal service names
        config=Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=10),
    )
