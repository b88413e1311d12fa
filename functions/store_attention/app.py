"""A store's attention list (OperatorJwt): list the open items, acknowledge one, resolve one.

The store id comes from the path and the caller from the verified token; stores/services/attention.py decides.
"""

from __future__ import annotations

from typing import Annotated, Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Path, Query, Request, Response

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.stores.contracts import attention as contracts
from nozzly.wiring import stores

OPERATORS = Realm()
errors: dict[int | str, dict[str, Any]] = {s: {"model": ErrorResponse} for s in (400, 401, 403, 404)}
router = APIRouter(prefix="/admin/stores/{store}/attention", tags=["attention"], responses=errors)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
# Loose on purpose: an id that names nothing is a 404 after the permission check, never a 400 before it.
ItemId = Annotated[str, Path(max_length=300, description="An item's id, as the list shows it.")]
Cursor = Annotated[str | None, Query(max_length=2048, description="next_cursor of the previous page.")]
Limit = Annotated[int, Query(ge=1, le=100)]


def _operator(request: Request) -> str:
    return caller_from_claims(jwt_claims(request), OPERATORS).sub


@router.get("", response_model=contracts.OpenAttentionPageOut)
def list_attention(
    store: StoreId, request: Request, cursor: Cursor = None, limit: Limit = 20
) -> contracts.OpenAttentionPageOut:
    """Every open item, by kind, product and variant; `counts` are for the whole list."""
    page = stores.attention_desk().list(store, _operator(request), cursor=cursor, limit=limit)
    return contracts.OpenAttentionPageOut(
        counts=page.counts, items=[contracts.item_out(store, e) for e in page.items], next_cursor=page.next_cursor
    )


@router.post("/{item}/acknowledge", response_model=contracts.OpenAttentionItemOut)
def acknowledge_attention(store: StoreId, item: ItemId, request: Request) -> contracts.OpenAttentionItemOut:
    """Seen: the item stays open and shows who acknowledged it."""
    return contracts.item_out(store, stores.attention_desk().acknowledge(store, _operator(request), item))


@router.delete("/{item}", status_code=204)
def resolve_attention(store: StoreId, item: ItemId, request: Request) -> Response:
    """Dealt with: the item closes (it opens again only on the next crossing)."""
    stores.attention_desk().resolve(store, _operator(request), item)
    return Response(status_code=204)


app = build_app("Nozzly attention list", [router])
handler = http_handler(app)
