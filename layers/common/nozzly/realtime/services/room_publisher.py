"""Pushing one message to everyone connected in one room (a person's notifications, for instance): the
same delivery as the bus fan-out, gone connections pruned."""

from __future__ import annotations

import json

from nozzly.realtime.adapters.connections import ConnectionsRepository
from nozzly.realtime.adapters.management_api import ManagementApi


class RoomPublisher:
    def __init__(self, connections: ConnectionsRepository, api: ManagementApi) -> None:
        self.connections = connections
        self.api = api

    def push(self, room: str, message: dict[str, object]) -> None:
        members = self.connections.in_room(room)
        if not members:
            return
        result = self.api.post_many(members, json.dumps(message, separators=(",", ":")).encode())
        for gone in result.gone:
            self.connections.drop(gone)
