"""Operators' view of a store's orders: the filtered list (the detail is in orders/services/order_payments.py)."""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.orders.adapters.order_listing import OrderListing, OrderRowPage
from nozzly.orders.domain.order_search import OrderFilters
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require


@dataclass(frozen=True)
class OrderSearch:
    members: MembersRepository
    listing: OrderListing

    def list(self, store_id: str, sub: str, filters: OrderFilters, *, cursor: str | None, limit: int) -> OrderRowPage:
        require(self.members, store_id, sub, Action.ORDERS_READ)
        return self.listing.search(store_id, filters, cursor=cursor, limit=limit)
