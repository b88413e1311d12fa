"""The in-app inbox: an operator's own inbox per store (OperatorJwt, any member) and a shopper's own (ShopperJwt):
list newest first with the unread count, mark one or all read; an operator's preferences (which kinds they get).

The recipient is always the token's subject; nothing in a path or body can name another person's inbox.
"""

from __future__ import annotations

from typing import Annotated, Any

import nozzly.boot  # noqa: F401

from fastapi import APIRouter, Depends, Path, Query, Request

from nozzly.accounts.domain.accounts import Realm, caller_from_claims
from nozzly.accounts.services.identity import store_shopper
from nozzly.api import build_app, http_handler
from nozzly.gateway_context import jwt_claims
from nozzly.kernel.contracts.errors import ErrorResponse
from nozzly.kernel.domain.slugs import SLUG_PATTERN
from nozzly.notifications.contracts import notifications as contracts
from nozzly.notifications.domain.notifications import Audience, Preferences, Recipient
from nozzly.notifications.services.inbox import MAX_PAGE
from nozzly.wiring import notifications

OPERATORS = Realm()
errors: dict[int | str, dict[str, Any]] = {s: {"model": ErrorResponse} for s in (400, 401, 403, 404)}
operators = APIRouter(prefix="/admin/stores/{store}", tags=["notifications"], responses=errors)
shoppers = APIRouter(prefix="/stores/{store}/me", tags=["notifications"], responses=errors)
StoreId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=80, description="The store's id (its slug).")]
# Loose on purpose: an id that names nothing is a 404 after the permission check, never a 400 before it.
NotificationId = Annotated[str, Path(max_length=200, description="A notification's id, as the list shows it.")]
Cursor = Annotated[str | None, Query(max_length=2048, description="next_cursor of the previous page.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]
Unread = Annotated[bool, Query(description="Only the unread ones.")]


def _operator(store: StoreId, request: Request) -> Recipient:
    sub = caller_from_claims(jwt_claims(request), OPERATORS).sub
    return notifications.inbox().operator(store, sub)


def _shopper(store: StoreId, request: Request) -> Recipient:
    caller = store_shopper(notifications.stores(), store, jwt_claims(request))
    return Recipient(Audience.SHOPPER, store, caller.sub)


Operator = Annotated[Recipient, Depends(_operator)]
Shopper = Annotated[Recipient, Depends(_shopper)]


def _page(recipient: Recipient, cursor: str | None, limit: int, unread: bool) -> contracts.NotificationPageOut:
    page = notifications.inbox().page(recipient, cursor=cursor, limit=limit, unread_only=unread)
    return contracts.NotificationPageOut(
        items=[contracts.notification_out(n) for n in page.items], unread=page.unread, next_cursor=page.next_cursor
    )


def _read_all(recipient: Recipient) -> contracts.ReadAllOut:
    inbox = notifications.inbox()
    marked = inbox.mark_all_read(recipient)
    return contracts.ReadAllOut(marked=marked, unread=inbox.unread(recipient))


@operators.get("/notifications", response_model=contracts.NotificationPageOut)
def list_operator_notifications(
    operator: Operator, cursor: Cursor = None, limit: Limit = 20, unread: Unread = False
) -> contracts.NotificationPageOut:
    """The caller's own inbox in this store, newest first; `unread` counts the whole inbox."""
    return _page(operator, cursor, limit, unread)


@operators.post("/notifications/read-all", response_model=contracts.ReadAllOut)
def read_all_operator_notifications(operator: Operator) -> contracts.ReadAllOut:
    return _read_all(operator)


@operators.post("/notifications/{notification}/read", response_model=contracts.NotificationOut)
def read_operator_notification(operator: Operator, notification: NotificationId) -> contracts.NotificationOut:
    """Marked read (again: unchanged, counted once)."""
    return contracts.notification_out(notifications.inbox().mark_read(operator, notification))


@operators.get("/notification-preferences", response_model=contracts.PreferencesOut)
def get_preferences(operator: Operator) -> contracts.PreferencesOut:
    """The kinds the caller receives in this store (every kind unless muted)."""
    return contracts.preferences_out(notifications.inbox().preferences(operator))


@operators.put("/notification-preferences", response_model=contracts.PreferencesOut)
def put_preferences(operator: Operator, body: contracts.PreferencesIn) -> contracts.PreferencesOut:
    chosen = Preferences.validated(body.muted)
    return contracts.preferences_out(notifications.inbox().set_preferences(operator, chosen))


@shoppers.get("/notifications", response_model=contracts.NotificationPageOut)
def list_shopper_notifications(
    shopper: Shopper, cursor: Cursor = None, limit: Limit = 20, unread: Unread = False
) -> contracts.NotificationPageOut:
    """The shopper's own inbox in this store, newest first."""
    return _page(shopper, cursor, limit, unread)


@shoppers.post("/notifications/read-all", response_model=contracts.ReadAllOut)
def read_all_shopper_notifications(shopper: Shopper) -> contracts.ReadAllOut:
    return _read_all(shopper)


@shoppers.post("/notifications/{notification}/read", response_model=contracts.NotificationOut)
def read_shopper_notification(shopper: Shopper, notification: NotificationId) -> contracts.NotificationOut:
    return contracts.notification_out(notifications.inbox().mark_read(shopper, notification))


app = build_app("Nozzly notifications", [operators, shoppers])
handler = http_handler(app)
