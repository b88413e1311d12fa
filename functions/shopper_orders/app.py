"""A shopper's orders in a store (ShopperJwt): list them newest first, read one, cancel one not yet shipped.

Only orders placed with the shopper's account: a guest's order has no account to list it under. Another
shopper's order answers 404 like one that does not exist.
"""

from __future__ import annotations

from typing import Annotated, Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Depends, Path, Query, Request

from nozzly.accounts.domain.accounts import Caller
from nozzly.api import build_app, http_handler, operation_ids
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.orders.contracts import orders as contracts
from nozzly.wiring import orders, stores

errors: dict[int | str, dict[str, Any]] = {s: {"model": ErrorResponse} for s in (401, 404, 409)}
router = APIRouter(
    generate_unique_id_function=operation_ids("shopper"),
    prefix="/stores/{store}/me/orders",
    tags=["orders"],
    responses=errors,
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
OrderId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=64, description="The order's id.")]


def _shopper(store: StoreId, request: Request) -> Caller:
    return orders.shopper_orders().caller(store, jwt_claims(request))


Shopper = Annotated[Caller, Depends(_shopper)]


@router.get("", response_model=contracts.OrderPageOut)
def list_orders(
    store: StoreId,
    shopper: Shopper,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> contracts.OrderPageOut:
    """The shopper's orders, newest first. A just-placed order may take a moment to appear (the list is an
    eventually consistent index); its detail is there at once."""
    page = orders.shopper_orders().list(store, shopper, cursor=cursor, limit=limit)
    prefix = stores.order_number_prefix()(store)
    return contracts.OrderPageOut(
        items=[contracts.summary_out(o, prefix) for o in page.orders], next_cursor=page.next_cursor
    )


@router.get("/{order}", response_model=contracts.OrderOut)
def get_order(store: StoreId, order: OrderId, shopper: Shopper) -> contracts.OrderOut:
    return contracts.order_out(orders.shopper_orders().get(store, shopper, order), stores.order_number_prefix()(store))


@router.post("/{order}/cancel", response_model=contracts.OrderOut)
def cancel_order(store: StoreId, order: OrderId, shopper: Shopper) -> contracts.OrderOut:
    """Cancel an order that is pending or processing: its items go back on sale and what was paid is
    refunded in full. 409 once shipped, or when already cancelled."""
    return contracts.order_out(
        orders.shopper_orders().cancel(store, shopper, order), stores.order_number_prefix()(store)
    )


app = build_app("Nozzly shopper orders", [router])
handler = http_handler(app)
