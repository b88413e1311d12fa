"""boto3 clients, created once per container on first use.

boto3 is imported here, lazily: a function that never touches AWS (or not on every path) does not
pay ~250 ms of cold start for it. AWS_ENDPOINT_URL (set by the local cloud) redirects every client.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types_boto3_dynamodb import DynamoDBClient


@cache
def client(service: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        service,  # type: ignore[call-overload]  # the stubs only know literal service names
        config=Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=10),
    )


def dynamodb_client(injected: DynamoDBClient | None = None) -> DynamoDBClient:
    """A repository's DynamoDB client: the one it was given (tests, another region), else the shared one.

    Called at use, not at construction: building a repository must not import boto3 (cold starts).
    """
    if injected is not None:
        return injected
    shared: DynamoDBClient = client("dynamodb")
    return shared
