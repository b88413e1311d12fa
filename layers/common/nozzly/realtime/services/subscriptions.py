"""A connection's life: connect, join and leave rooms (authorized at subscribe time), disconnect, and an
admin's broadcast to a store's shoppers. Every answer is the reply pushed back on the socket."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from json import dumps
from typing import Any

from nozzly.kernel.domain.errors import DomainError, InvalidInput
from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.realtime.adapters.connections import ConnectionsRepository
from nozzly.realtime.domain.connections import BROADCAST_EVERY_SECONDS, refusal, reply
from nozzly.realtime.domain.messages import broadcast
from nozzly.realtime.domain.rooms import Caller, Identity, Need, Room, join_need, parse_room
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services import tenancy

Post = Callable[[list[str], bytes], Any]


class Subscriptions:
    def __init__(
        self,
        connections: ConnectionsRepository,
        members: MembersRepository,
        orders: OrdersRepository,
        clock: Callable[[], float],
    ) -> None:
        self.connections = connections
        self.members = members
        self.orders = orders
        self.clock = clock

    def connected(self, connection_id: str, caller: Caller) -> None:
        self.connections.connect(connection_id, caller, int(self.clock()))

    def disconnected(self, connection_id: str) -> None:
        self.connections.drop(connection_id)

    def _allowed(self, caller: Caller, room: Room) -> bool:
        match join_need(caller, room):
            case Need.NOTHING:
                return True
            case Need.MEMBERSHIP:
                member = self.members.get(room.store_id, caller.sub or "")
                return member is not None and not member.store_deleted
            case Need.ORDER_OWNER:
                found = self.orders.get(room.store_id, room.subject or "")
                return found is not None and found.customer is not None and found.customer == caller.sub
            case Need.REFUSED:
                return False

    def subscribe(self, connection_id: str, room_name: object) -> dict[str, Any]:
        caller = self.connections.caller(connection_id)
        if caller is None:
            return refusal("unknown_connection", "connect again")
        try:
            room = parse_room(room_name)
        except InvalidInput as error:
            return refusal(error.code, error.message, room=room_name if isinstance(room_name, str) else None)
        # One answer for "no such room" and "not yours": a refusal never tells whether a store or order exists.
        if not self._allowed(caller, room):
            return refusal("forbidden", "you may not join this room", room=room.name)
        self.connections.join(connection_id, room.name, int(self.clock()))
        return reply("subscribed", room=room.name)

    def unsubscribe(self, connection_id: str, room_name: object) -> dict[str, Any]:
        try:
            room = parse_room(room_name)
        except InvalidInput as error:
            return refusal(error.code, error.message)
        self.connections.leave(connection_id, room.name)
        return reply("unsubscribed", room=room.name)

    def broadcast(self, connection_id: str, store_id: object, text: object, post: Post) -> dict[str, Any]:
        """An admin's announcement to the store's connected shoppers, at most one a minute per store."""
        caller = self.connections.caller(connection_id)
        if caller is None or caller.identity is not Identity.OPERATOR or not caller.sub:
            return refusal("forbidden", "only a store's admins may broadcast")
        if not isinstance(store_id, str):
            return refusal("invalid_input", "store is required", field="store")
        try:
            tenancy.require(self.members, store_id, caller.sub, Action.PROMOTIONS_MANAGE)
            delivery = broadcast(store_id, text, _utc(self.clock()))
        except DomainError as error:
            return refusal(error.code, error.message)
        if not self.connections.claim_broadcast(store_id, int(self.clock()), BROADCAST_EVERY_SECONDS):
            return refusal("rate_limited", f"one broadcast per {BROADCAST_EVERY_SECONDS} s per store")
        post(self.connections.in_room(delivery.room.name), dumps(delivery.message).encode())
        return reply("broadcast_sent", store=store_id)


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
