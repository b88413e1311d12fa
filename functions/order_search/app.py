"""Operators' order list (OperatorJwt): a store's orders newest first, filtered, paged by cursor.

The store comes from the path and the caller from the verified token; services.tenancy decides (orders.read,
every role) before anything is read. One order's detail is GET .../orders/{order} (OrderPayments).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Request

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler, operation_ids
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.orders.contracts import order_list as contracts
from nozzly.orders.domain.order_search import OrderFilters
from nozzly.orders.domain.orders import Channel, OrderStatus, PaymentState
from nozzly.wiring import orders, stores

OPERATORS = Realm()
router = APIRouter(
    generate_unique_id_function=operation_ids("admin"),
    prefix="/admin/stores/{store}/orders",
    tags=["orders"],
    responses={s: {"model": ErrorResponse} for s in (401, 403)},
)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]


def _epoch(value: datetime | None) -> int | None:
    # A date without a zone is read as UTC, like every time the API answers with.
    if value is None:
        return None
    return int((value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp())


@router.get("", response_model=contracts.OrderRowPageOut)
def list_orders(
    store: StoreId,
    request: Request,
    *,
    status: OrderStatus | None = None,
    payment_state: PaymentState | None = None,
    channel: Channel | None = None,
    email: Annotated[str | None, Query(min_length=3, max_length=254, description="The customer's, any case.")] = None,
    number: Annotated[int | None, Query(ge=1, description="An order number, e.g. 1001.")] = None,
    created_from: Annotated[
        datetime | None, Query(description="Placed at or after (ISO 8601, UTC if no zone).")
    ] = None,
    created_to: Annotated[datetime | None, Query(description="Placed at or before (ISO 8601, UTC if no zone).")] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> contracts.OrderRowPageOut:
    """The store's orders, newest first. Filters combine (all must match). A just-placed order is listed as
    soon as the index has it, normally within a second; its detail is readable at once."""
    sub = caller_from_claims(jwt_claims(request), OPERATORS).sub
    filters = OrderFilters(
        status=status,
        payment_state=payment_state,
        channel=channel,
        email=email,
        number=number,
        created_from=_epoch(created_from),
        created_to=_epoch(created_to),
    )
    page = orders.order_search().list(store, sub, filters, cursor=cursor, limit=limit)
    prefix = stores.order_number_prefix()(store)
    return contracts.OrderRowPageOut(
        items=[contracts.row_out(r, prefix) for r in page.rows], next_cursor=page.next_cursor
    )


app = build_app("Nozzly order list", [router])
handler = http_handler(app)
