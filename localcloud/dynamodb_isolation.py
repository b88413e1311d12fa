"""DynamoDB requests to the emulator run one at a time, as isolated as DynamoDB makes them.

DynamoDB applies each write, conditional write and transaction atomically and serializably. moto's
backend is plain Python objects served by a threaded server, so two concurrent conditional writes could
both read the old item and both succeed. Checkout's stock reservation and coupon limits rely on those
conditions under heavy concurrency, so the emulator serializes DynamoDB calls (other services run freely).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_DYNAMODB = "DynamoDB_20120810."
lock = threading.Lock()  # also held while the state is saved (localcloud/persistence.py)


def isolated(app: WsgiApp) -> WsgiApp:
    def serialized_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith(_DYNAMODB):
            return app(environ, start_response)
        with lock:
            # The body is built inside the lock: moto does its work while the response is produced.
            return list(app(environ, start_response))

    return serialized_app


def isolate_in_process() -> Callable[[], None]:
    """The same isolation for moto in-process (functional tests under mock_aws, where threads race too):
    every DynamoDB action runs alone. Returns the undo."""
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.call_action

    def call_action(self: Any) -> Any:
        with lock:
            return original(self)

    DynamoHandler.call_action = call_action

    def undo() -> None:
        DynamoHandler.call_action = original

    return undo
