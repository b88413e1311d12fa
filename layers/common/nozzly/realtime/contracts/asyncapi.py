"""The WebSocket API as an AsyncAPI 3.0 document, made from the messages' pydantic models (contracts/messages.py)
and the rooms' table (domain/messages.SHOWN): `python -m localcloud.asyncapi_export` writes it to asyncapi.yaml,
and tests/static/test_asyncapi.py fails when the file and the code part ways."""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from nozzly.realtime.contracts import messages as m
from nozzly.realtime.domain.messages import SHOWN

ASYNCAPI_VERSION: Final = "3.0.0"
TITLE: Final = "Nozzly live updates (WebSocket API)"
_SCHEMAS: Final = "#/components/schemas/{model}"
# Each kind of room: its channel, the address a client subscribes to, who may join, and what else it hears.
ROOMS: Final[dict[str, tuple[str, str, str, tuple[type[BaseModel], ...]]]] = {
    "operators": ("operatorsRoom", "store:{store}:operators", "Any member of the store (operator token).", ()),
    "operator": (
        "operatorRoom",
        "operator:{store}:{subject}",
        "That operator only, while a member; the dashboard's figures only for roles with reports.read.",
        (m.Notification,),
    ),
    "order": (
        "orderRoom",
        "order:{store}:{subject}",
        "The order's shopper, an operator of the store, or a guest holding the order's tracking token.",
        (),
    ),
    "shopper": (
        "shopperRoom",
        "shopper:{store}:{subject}",
        "That shopper only (shopper token, or the live pass the shop's pages hand out).",
        (m.Notification,),
    ),
    "shoppers": ("shoppersRoom", "store:{store}:shoppers", "The store's shoppers: a broadcast, no personal data.", ()),
}
# A client message, its operation's summary, and the answers it may get.
_ACTIONS: Final[tuple[tuple[type[BaseModel], str, tuple[type[BaseModel], ...]], ...]] = (
    (m.Subscribe, "Join a room (authorized now)", (m.Subscribed, m.ErrorReply)),
    (m.Unsubscribe, "Leave a room", (m.Unsubscribed, m.ErrorReply)),
    (m.Ping, "Keep the socket open", (m.Pong,)),
    (m.Broadcast, "Announce to the store's shoppers (admins; 1 per store per minute)", (m.BroadcastSent, m.ErrorReply)),
)
DESCRIPTION: Final = """Live updates for a store's operators and shoppers on API Gateway's WebSocket API (stage
`live`; the stack's output `WebSocketUrl`; locally `ws://127.0.0.1:3001`, NOZZLY_WS_PORT).

**Connecting.** Send a Cognito access token (an operator's, or a shopper's of one store) as `?token=<token>`, or,
where a query string is unwelcome, offer it as the subprotocol: `Sec-WebSocket-Protocol: bearer, <token>`. No valid
token, no connection: the handshake answers 401. A guest follows one order without an account:
`?room=order:{store}:{order}&token=<the order's tracking_token>` (from the checkout's status route); the shop's
pages connect a signed-in shopper with `?room=shopper:{store}:{sub}&token=<live pass>`, so the access token stays
in its HttpOnly cookie. Either joins that one room only. API Gateway closes a socket after 10 idle minutes (send
`ping`) and after 2 hours in any case: connect again with a current token.

**Talking.** Each client message is a JSON object whose `action` names it (`subscribe`, `unsubscribe`, `ping`,
`broadcast`); its answer comes back on the socket (`subscribed`, `unsubscribed`, `pong`, `broadcast_sent`, or
`error`, which changed nothing). Joining a room is authorized at that moment.

**Hearing.** Store events reach the rooms they concern as `{"type", "v": 1, "store", "data", "at"}`; `data` keeps
what that room's audience may see. Inbox entries arrive in a person's own room as `notification`."""


def _unwrapped(text: str) -> str:
    """Paragraphs on one line each: the YAML stays readable and Markdown renders the same."""
    return "\n\n".join(" ".join(p.split("\n")) for p in text.split("\n\n"))


def _message(name: str, model: type[BaseModel], summary: str) -> dict[str, Any]:
    return {
        "name": name,
        "title": name,
        "summary": summary,
        "payload": {"$ref": _SCHEMAS.format(model=model.__name__)},
    }


def _schemas(models: list[type[BaseModel]]) -> dict[str, Any]:
    _, found = models_json_schema([(model, "validation") for model in models], ref_template=_SCHEMAS)
    return dict(sorted(found.get("$defs", {}).items()))


def document() -> dict[str, Any]:
    """The whole AsyncAPI 3.0 document, deterministic (sorted where the order means nothing)."""
    kinds = sorted({kind for heard in SHOWN.values() for kind in heard})
    events = {kind: m.event_message(kind) for kind in kinds}
    messages: dict[str, Any] = {}
    socket: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for model, summary, answers in _ACTIONS:
        action = model.model_fields["action"].annotation.__args__[0]  # type: ignore[union-attr]
        messages[action] = _message(action, model, (model.__doc__ or summary).split("\n")[0])
        socket[action] = {"$ref": f"#/components/messages/{action}"}
        replies = []
        for answer in answers:
            kind = answer.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
            messages[kind] = _message(kind, answer, f"The answer `{kind}`.")
            socket[kind] = {"$ref": f"#/components/messages/{kind}"}
            replies.append({"$ref": f"#/channels/socket/messages/{kind}"})
        operations[action] = {
            "action": "send",
            "summary": summary,
            "channel": {"$ref": "#/channels/socket"},
            "messages": [{"$ref": f"#/channels/socket/messages/{action}"}],
            "reply": {"channel": {"$ref": "#/channels/socket"}, "messages": replies},
        }
    messages["notification"] = _message("notification", m.Notification, "A new entry in the person's inbox.")
    for kind, model in events.items():
        rooms = sorted(room for room, heard in SHOWN.items() if kind in heard)
        messages[kind] = _message(kind, model, f"A store event; reaches the rooms {', '.join(rooms)}.")
    channels: dict[str, Any] = {
        "socket": {
            "address": "/",
            "title": "The socket itself: client messages and their answers",
            "messages": dict(sorted(socket.items())),
        }
    }
    for room, (channel, address, who, others) in ROOMS.items():
        heard = sorted(SHOWN.get(room, {}))
        names = heard + [o.model_fields["type"].annotation.__args__[0] for o in others]  # type: ignore[union-attr]
        parameters = {"store": {"description": "The store's id (its slug)."}}
        if "{subject}" in address:
            parameters["subject"] = {"description": "The operator's or shopper's sub, or the order's id."}
        channels[channel] = {
            "address": address,
            "title": f"The {room} room",
            "description": f"Who may join: {who}",
            "parameters": parameters,
            "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in sorted(names)},
        }
        operations[f"receive_{room}"] = {
            "action": "receive",
            "summary": f"What a connection in a {room} room hears",
            "channel": {"$ref": f"#/channels/{channel}"},
            "messages": [{"$ref": f"#/channels/{channel}/messages/{n}"} for n in sorted(names)],
        }
    models: list[type[BaseModel]] = [*m.CLIENT_MESSAGES, *m.REPLIES, m.Notification, *events.values()]
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {"title": TITLE, "version": "1", "description": _unwrapped(DESCRIPTION)},
        "defaultContentType": "application/json",
        "servers": {
            "aws": {
                "host": "{apiId}.execute-api.{region}.amazonaws.com",
                "pathname": "/live",
                "protocol": "wss",
                "description": "A deployed stack (its output WebSocketUrl).",
                "variables": {
                    "apiId": {"description": "The WebSocket API's id."},
                    "region": {"default": "us-east-1", "description": "The stack's region."},
                },
                "security": [{"$ref": "#/components/securitySchemes/token"}],
            },
            "local": {
                "host": "127.0.0.1:3001",
                "protocol": "ws",
                "description": "The local cloud (`make run`; NOZZLY_WS_PORT moves it).",
                "security": [{"$ref": "#/components/securitySchemes/token"}],
            },
        },
        "channels": channels,
        "operations": dict(sorted(operations.items())),
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "httpApiKey",
                    "name": "token",
                    "in": "query",
                    "description": "A Cognito access token (operator or shopper pool), or with `room` an order's "
                    "tracking token or a shop page's live pass. Or offer a Cognito token as the subprotocol "
                    "`Sec-WebSocket-Protocol: bearer, <token>`. Never logged.",
                },
            },
            "messages": dict(sorted(messages.items())),
            "schemas": _schemas(models),
        },
    }
