"""Rooms a WebSocket connection may join, and who may join which. Pure Python.

Five kinds, every name carrying its store so one tenant's rooms never share a name with another's:
`store:{store}:operators` (any member of the store), `store:{store}:shoppers` (the store's shoppers: a broadcast
room, so nothing personal is ever pushed there), `shopper:{store}:{customer}` (one shopper, only themself),
`operator:{store}:{sub}` (one operator's own notifications in one store, only themself while a member) and
`order:{store}:{order}` (a guest holding that order's tracking token, the order's own shopper, or an operator).

`join_need` answers what must still be checked against stored data; the service looks that up (a membership,
an order's owner) and the domain stays free of I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from nozzly.kernel.domain.errors import InvalidInput

_ID: Final = r"[a-z0-9][a-z0-9-]{0,62}"
_SUBJECT: Final = r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}"
_PATTERN: Final = re.compile(
    rf"^(?:store:(?P<store>{_ID}):(?P<audience>operators|shoppers)"
    rf"|(?P<kind>shopper|operator|order):(?P<scoped_store>{_ID}):(?P<subject>{_SUBJECT}))$"
)


class RoomKind(StrEnum):
    OPERATORS = "operators"
    SHOPPERS = "shoppers"
    SHOPPER = "shopper"
    OPERATOR = "operator"
    ORDER = "order"


@dataclass(frozen=True, slots=True)
class Room:
    kind: RoomKind
    store_id: str
    subject: str | None = None  # the customer (shopper room), the operator (operator room) or the order

    @property
    def name(self) -> str:
        if self.kind in (RoomKind.OPERATORS, RoomKind.SHOPPERS):
            return f"store:{self.store_id}:{self.kind.value}"
        return f"{self.kind.value}:{self.store_id}:{self.subject}"

    @property
    def is_broadcast(self) -> bool:
        """Seen by many people who do not know each other: ids and statuses only, never personal data."""
        return self.kind is RoomKind.SHOPPERS


def operators(store_id: str) -> Room:
    return Room(RoomKind.OPERATORS, store_id)


def shoppers(store_id: str) -> Room:
    return Room(RoomKind.SHOPPERS, store_id)


def shopper(store_id: str, customer_id: str) -> Room:
    return Room(RoomKind.SHOPPER, store_id, customer_id)


def operator(store_id: str, sub: str) -> Room:
    return Room(RoomKind.OPERATOR, store_id, sub)


def order(store_id: str, order_id: str) -> Room:
    return Room(RoomKind.ORDER, store_id, order_id)


def parse_room(name: object) -> Room:
    """A room from its name as a client sends it; InvalidInput for anything else."""
    match = _PATTERN.match(name) if isinstance(name, str) else None
    if match is None:
        raise InvalidInput("unknown room", field="room")
    if match["store"]:
        return Room(RoomKind(match["audience"]), match["store"])
    return Room(RoomKind(match["kind"]), match["scoped_store"], match["subject"])


class Identity(StrEnum):
    OPERATOR = "operator"
    SHOPPER = "shopper"
    GUEST = "guest"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who holds a connection, as the $connect authorizer established it (its context on every message).

    An operator: `sub` (stores are checked per room); a shopper: `sub` and the one `store_id` whose pool
    account it is; a guest: the `store_id` and `order_id` whose tracking token they showed."""

    identity: Identity
    sub: str | None = None
    store_id: str | None = None
    order_id: str | None = None


class Need(StrEnum):
    """What must still be true for a caller to join a room."""

    NOTHING = "nothing"  # allowed as it stands
    MEMBERSHIP = "membership"  # the operator is a member of the room's store
    ORDER_OWNER = "order_owner"  # the order's customer is this shopper
    REFUSED = "refused"


def join_need(caller: Caller, room: Room) -> Need:
    """Who may join which room; the service checks the returned need against stored data."""
    match caller.identity:
        case Identity.OPERATOR:
            # Operators see a store's own channels; a shopper's own room is the shopper's alone, and an
            # operator's own room is theirs alone.
            if room.kind is RoomKind.SHOPPER or (room.kind is RoomKind.OPERATOR and room.subject != caller.sub):
                return Need.REFUSED
            return Need.MEMBERSHIP
        case Identity.SHOPPER:
            return _shopper_need(caller, room)
        case Identity.GUEST:
            same = room.kind is RoomKind.ORDER and (room.store_id, room.subject) == (caller.store_id, caller.order_id)
            return Need.NOTHING if same else Need.REFUSED


def _shopper_need(caller: Caller, room: Room) -> Need:
    if room.store_id != caller.store_id:
        return Need.REFUSED
    match room.kind:
        case RoomKind.SHOPPERS:
            return Need.NOTHING
        case RoomKind.SHOPPER:
            return Need.NOTHING if room.subject == caller.sub else Need.REFUSED
        case RoomKind.ORDER:
            return Need.ORDER_OWNER
        case RoomKind.OPERATORS | RoomKind.OPERATOR:
            return Need.REFUSED
