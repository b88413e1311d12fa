"""Every route of the WebSocket API ($connect, $disconnect, $default, subscribe, unsubscribe, ping,
broadcast): one small function, as all of them share the connections table and one service, and one warm
container then answers a client's whole conversation. A route's answer goes back on the socket (route
responses)."""

from __future__ import annotations

import json
from typing import Any

from nozzly.observability import lambda_entry
from nozzly.realtime.domain.connections import refusal, reply
from nozzly.realtime.domain.rooms import Caller, Identity
from nozzly.wiring import realtime


def _answer(body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    return {"statusCode": status, "body": json.dumps(body)}


def _message(event: dict[str, Any]) -> dict[str, Any] | None:
    try:
        body = json.loads(event.get("body") or "")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _connected(event: dict[str, Any], connection_id: str) -> dict[str, Any]:
    granted = event["requestContext"].get("authorizer") or {}
    caller = Caller(Identity(granted["identity"]), granted.get("sub"), granted.get("store_id"), granted.get("order_id"))
    realtime.subscriptions().connected(connection_id, caller)
    return {"statusCode": 200}


def _on_message(route: str, connection_id: str, message: dict[str, Any]) -> dict[str, Any]:
    subscriptions = realtime.subscriptions()
    match route:
        case "subscribe":
            return subscriptions.subscribe(connection_id, message.get("room"))
        case "unsubscribe":
            return subscriptions.unsubscribe(connection_id, message.get("room"))
        case "ping":
            return reply("pong")
        case "broadcast":
            post = realtime.management_api().post_many
            return subscriptions.broadcast(connection_id, message.get("store"), message.get("text"), post)
        case _:
            return refusal("unknown_action", "actions: subscribe, unsubscribe, ping, broadcast")


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = event["requestContext"]
    route, connection_id = request["routeKey"], request["connectionId"]
    if route == "$connect":
        return _connected(event, connection_id)
    if route == "$disconnect":
        realtime.subscriptions().disconnected(connection_id)
        return {"statusCode": 200}
    message = _message(event)
    if message is None:
        return _answer(refusal("invalid_input", "a message is a JSON object with an action"))
    return _answer(_on_message(route, connection_id, message))
