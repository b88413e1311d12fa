"""The WebSocket API's $connect REQUEST authorizer: a Cognito access token (`?token=` or the
`Sec-WebSocket-Protocol` offer `bearer, <token>`), or beside the room it opens (`?room=...&token=...`) a guest's
order tracking token (`order:{store}:{order}`) or a shop page's live pass (`shopper:{store}:{sub}`), or no
connection. No token is ever logged."""

from __future__ import annotations

from typing import Any

from nozzly.kernel.domain.errors import Unauthorized
from nozzly.observability import lambda_entry
from nozzly.wiring import realtime


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    try:
        caller = realtime.gate().caller(event.get("queryStringParameters"), event.get("headers"))
    except Unauthorized:
        # API Gateway answers exactly this exception message with 401 at the handshake.
        raise Exception("Unauthorized") from None
    granted = {name: getattr(caller, name) for name in ("sub", "store_id", "order_id") if getattr(caller, name)}
    return {
        "principalId": caller.sub or "guest",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": event["methodArn"]}],
        },
        "context": {"identity": caller.identity.value, **granted},
    }
