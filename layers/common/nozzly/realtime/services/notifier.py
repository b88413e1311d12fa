"""Fan-out of one bus event: the rooms it reaches, every connection in them, gone connections pruned."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nozzly.orders.adapters.orders import OrdersRepository
from nozzly.realtime.adapters.connections import ConnectionsRepository
from nozzly.realtime.adapters.management_api import ManagementApi
from nozzly.realtime.domain.messages import DASHBOARD_COUNTERS, ORDER_EVENTS, dashboard_counters, route
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action, allowed


@dataclass(frozen=True, slots=True)
class Fanout:
    rooms: int
    delivered: int
    pruned: int
    failed: int


class Notifier:
    def __init__(
        self,
        connections: ConnectionsRepository,
        orders: OrdersRepository,
        api: ManagementApi,
        members: MembersRepository,
    ) -> None:
        self.connections = connections
        self.orders = orders
        self.api = api
        self.members = members

    def _customer(self, detail_type: str, detail: Mapping[str, Any]) -> str | None:
        """Order events do not name the shopper; one read of the order does (None: a guest's order)."""
        store, order_id = detail.get("store_id"), detail.get("order_id")
        if detail_type not in ORDER_EVENTS or not isinstance(store, str) or not isinstance(order_id, str):
            return None
        found = self.orders.get(store, order_id)
        return found.customer if found is not None else None

    def _reporters(self, detail: Mapping[str, Any]) -> list[str]:
        """The store's members whose role may see revenue now (one Query of the memberships)."""
        store = detail.get("store_id")
        if not isinstance(store, str) or not store:
            return []
        return [m.sub for m in self.members.of_store(store) if allowed(m.role, Action.REPORTS_READ)]

    def notify(self, detail_type: str, detail: Mapping[str, Any], at: datetime) -> Fanout:
        if detail_type == DASHBOARD_COUNTERS:
            deliveries = dashboard_counters(detail, at, self._reporters(detail))
        else:
            deliveries = route(detail_type, detail, at, customer=self._customer(detail_type, detail))
        delivered = pruned = failed = 0
        for delivery in deliveries:
            members = self.connections.in_room(delivery.room.name)
            if not members:
                continue
            result = self.api.post_many(members, json.dumps(delivery.message, separators=(",", ":")).encode())
            for gone in result.gone:
                self.connections.drop(gone)
            delivered, pruned, failed = delivered + result.delivered, pruned + len(result.gone), failed + result.failed
        return Fanout(rooms=len(deliveries), delivered=delivered, pruned=pruned, failed=failed)
