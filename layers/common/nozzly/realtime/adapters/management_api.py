"""API Gateway's `@connections` management API: post one message to many connections.

Posts run in a thread pool (each is one HTTPS call of a few ms; a room of 1,000 would take seconds one by one),
in batches so a huge room never queues thousands of futures at once. A `GoneException` means the client is
gone without a $disconnect reaching us: the caller prunes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

POOL_SIZE = 32
BATCH = 500


@dataclass(slots=True)
class PostResult:
    delivered: int = 0
    gone: list[str] = field(default_factory=list)
    failed: int = 0


class ManagementApi:
    def __init__(self, endpoint: str, client: Any | None = None) -> None:
        self.endpoint = endpoint
        self._injected = client

    @cached_property
    def client(self) -> Any:
        if self._injected is not None:
            return self._injected
        import boto3
        from botocore.config import Config

        config = Config(
            retries={"mode": "standard", "max_attempts": 2},
            connect_timeout=2,
            read_timeout=5,
            max_pool_connections=POOL_SIZE,
        )
        return boto3.client("apigatewaymanagementapi", endpoint_url=self.endpoint, config=config)

    def _post(self, connection_id: str, data: bytes) -> str:
        client = self.client
        try:
            client.post_to_connection(ConnectionId=connection_id, Data=data)
        except client.exceptions.GoneException:
            return "gone"
        except Exception:
            return "failed"
        return "ok"

    def post_many(self, connection_ids: Sequence[str], data: bytes) -> PostResult:
        result = PostResult()
        with ThreadPoolExecutor(max_workers=POOL_SIZE) as pool:
            for start in range(0, len(connection_ids), BATCH):
                batch = connection_ids[start : start + BATCH]
                for connection_id, outcome in zip(batch, pool.map(lambda c: self._post(c, data), batch), strict=True):
                    if outcome == "ok":
                        result.delivered += 1
                    elif outcome == "gone":
                        result.gone.append(connection_id)
                    else:
                        result.failed += 1
        return result

    def post(self, connection_id: str, data: bytes) -> bool:
        """One reply to one connection; False when it is gone."""
        return self._post(connection_id, data) == "ok"
