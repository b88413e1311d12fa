"""What travels on the WebSocket API, as pydantic models: the documented shapes (asyncapi.yaml is made from them
by realtime/contracts/asyncapi.py). The code builds its messages in realtime/domain; a static test keeps every
type it sends or accepts described here, and nothing described that it does not.

A store event's `data` shows the fields realtime/domain/messages.SHOWN names for the room it reaches (a field
whose value is unknown is left out); FIELD_TYPES gives each field its type and meaning.
"""

from __future__ import annotations

import keyword
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from nozzly.analytics.contracts.live_counters import DashboardCountersOut
from nozzly.realtime.domain.connections import BROADCAST_EVERY_SECONDS
from nozzly.realtime.domain.messages import MAX_BROADCAST_TEXT, SHOWN, VERSION

_ID, _SUBJECT = r"[a-z0-9][a-z0-9-]{0,62}", r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}"
ROOM = rf"^(store:{_ID}:(operators|shoppers)|(shopper|operator|order):{_ID}:{_SUBJECT})$"  # domain/rooms.py's
_OPEN = ConfigDict(extra="allow")  # a client ignores fields it does not know: later versions may add some


# ---------------------------------------------------------------- what a client sends ({"action": ...})
class Subscribe(BaseModel):
    """Join a room; authorized now (membership, the order's shopper). Answered `subscribed` or `error`."""

    action: Literal["subscribe"]
    room: str = Field(pattern=ROOM, description="store:{store}:operators|shoppers, operator|shopper|order:{store}:{id}")


class Unsubscribe(BaseModel):
    """Leave a room. Answered `unsubscribed` (also for a room not joined) or `error`."""

    action: Literal["unsubscribe"]
    room: str = Field(pattern=ROOM)


class Ping(BaseModel):
    """Keeps the socket open (API Gateway closes it after 10 idle minutes). Answered `pong`."""

    action: Literal["ping"]


class Broadcast(BaseModel):
    """An admin's announcement to the store's connected shoppers (promotions.manage), at most one per store a
    minute: a second one within it is answered `error` `rate_limited`."""

    model_config = ConfigDict(json_schema_extra={"x-rate-limit": f"1 per store per {BROADCAST_EVERY_SECONDS} s"})

    action: Literal["broadcast"]
    store: str = Field(description="The store whose shoppers hear it.")
    text: str = Field(min_length=1, max_length=MAX_BROADCAST_TEXT)


# ---------------------------------------------------------------- the answers on the socket
class Subscribed(BaseModel):
    type: Literal["subscribed"]
    room: str


class Unsubscribed(BaseModel):
    type: Literal["unsubscribed"]
    room: str


class Pong(BaseModel):
    type: Literal["pong"]


class BroadcastSent(BaseModel):
    type: Literal["broadcast_sent"]
    store: str


class ErrorReply(BaseModel):
    """A refused message changed nothing (no half-joined room). A refused subscribe never tells whether the
    store or order exists: `forbidden` either way."""

    type: Literal["error"]
    error: str = Field(
        description="invalid_input, forbidden, unknown_connection (connect again), unknown_action or rate_limited"
    )
    message: str
    room: str | None = Field(default=None, description="The room a subscribe named, when it named one.")
    field: str | None = Field(default=None, description="The field that was wrong.")


# ---------------------------------------------------------------- what the rooms hear
class Notification(BaseModel):
    """A new entry in the person's inbox (operator:{store}:{sub} or shopper:{store}:{sub})."""

    model_config = _OPEN
    type: Literal["notification"]
    id: str
    store: str
    kind: str = Field(description="What it is about (order placed, low stock, ...): the preferences' kinds.")
    title: str
    body: str
    link: str | None = Field(description="Where the console or shop shows it.")
    created_at: int = Field(description="Epoch seconds.")


FIELD_TYPES: dict[str, tuple[Any, str]] = {
    "order_id": (str, "The order's id."),
    "order_number": (int, "The order's number as the shop shows it."),
    "channel": (str, "Where it was placed: web, or manual (an operator's phone or counter sale)."),
    "amount": (int, "In integer minor units of `currency`."),
    "currency": (str, "ISO 4217 code."),
    "from": (str, "The order's status before."),
    "to": (str, "The order's status now."),
    "shipment_id": (str, "The fulfilment that shipped."),
    "carrier": (str, "The carrier's name."),
    "tracking_number": (str, "The carrier's tracking number."),
    "tracking_url": (str, "The carrier's tracking page."),
    "reason": (str, "Why it was cancelled."),
    "product": (str, "The product's slug."),
    "variant": (str, "The variant's id."),
    "title": (str, "The product's title."),
    "variant_title": (str, "The variant's title."),
    "sku": (str, "The variant's SKU."),
    "available": (int, "Units that can be sold now."),
    "threshold": (int, "The variant's low-stock threshold."),
    "review_id": (str, "The review waiting for moderation."),
    "rating": (int, "1 to 5 stars."),
    "text": (str, "The admin's announcement."),
    "version": (int, "The cart's version after the change: a device showing an older one reads the cart again."),
    "lines": (int, "How many lines the cart holds now."),
    "quantity": (int, "How many items the cart holds now, over every line."),
}


def event_data(kind: str) -> type[BaseModel]:
    """The `data` of one store event: every field any room is shown of it (each room sees the ones SHOWN names)."""
    if kind in SHOWN["operator"]:
        return DashboardCountersOut
    names = sorted({f for room in SHOWN.values() for f in room.get(kind, ())})
    unknown = [n for n in names if n not in FIELD_TYPES]
    if unknown:
        raise KeyError(f"{kind}: give {unknown} a type in FIELD_TYPES")
    fields: dict[str, Any] = {}
    for name in names:
        python_type, meaning = FIELD_TYPES[name]
        key = f"{name}_" if keyword.iskeyword(name) else name
        fields[key] = (python_type | None, Field(default=None, alias=name, description=meaning))
    model: type[BaseModel] = create_model(f"{kind}Data", __config__=_OPEN, **fields)
    return model


def event_message(kind: str) -> type[BaseModel]:
    """The envelope every store event shares: `{"type", "v", "store", "data", "at"}`."""
    model: type[BaseModel] = create_model(
        f"{kind}Message",
        __config__=_OPEN,
        type=(Literal[kind], ...),
        v=(Literal[VERSION], Field(description="The message format's version.")),
        store=(str, ...),
        data=(event_data(kind), ...),
        at=(str, Field(description="When it happened, ISO 8601 UTC (…Z).")),
    )
    return model


CLIENT_MESSAGES: tuple[type[BaseModel], ...] = (Subscribe, Unsubscribe, Ping, Broadcast)
REPLIES: tuple[type[BaseModel], ...] = (Subscribed, Unsubscribed, Pong, BroadcastSent, ErrorReply)
