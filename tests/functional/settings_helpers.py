"""Driving the StoreSettings function as API Gateway would, and a store team to drive it with.

Imported as `tests.functional.settings_helpers`.
"""

from __future__ import annotations

from typing import Any

from nozzly.catalog.domain.catalog import Store
from nozzly.stores.adapters.stores import StoresRepository
from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse
from tests.functional.store_helpers import claims

SHOP = "lantern-loom"
SHOP_NAME = "Lantern & Loom"
OWNER, ADMIN, STAFF, STRANGER = "owner-sub", "admin-sub", "staff-sub", "stranger-sub"
BASE = "/admin/stores/{store}/settings"


def join(cloud: Cloud, sub: str, role: str, store: str = SHOP, name: str = SHOP_NAME) -> None:
    item = {"pk": store, "sk": f"MEMBER#{sub}", "type": "member", "sub": sub, "role": role, "store_name": name}
    cloud.client("dynamodb").put_item(TableName=cloud.stores_table, Item={k: {"S": v} for k, v in item.items()})


def profile(cloud: Cloud, store: str = SHOP, name: str = SHOP_NAME) -> None:
    """The store's profile, as opening it writes it: a German store selling in euros."""
    op = StoresRepository(cloud.stores_table).put_profile_op(Store(store, name, "EUR", "DE"))
    cloud.client("dynamodb").put_item(**op["Put"])


def team(cloud: Cloud) -> None:
    """SHOP with its owner, an admin and staff; STRANGER owns another store."""
    profile(cloud)
    profile(cloud, "other-shop", "Other")
    join(cloud, OWNER, "owner")
    join(cloud, ADMIN, "admin")
    join(cloud, STAFF, "staff")
    join(cloud, STRANGER, "owner", store="other-shop", name="Other")


def settings_call(
    cloud: Cloud, method: str, tail: str = "", sub: str | None = OWNER, body: Any = None, *, store: str = SHOP, **q: str
) -> HttpResponse:
    event = api_event(
        f"{method} {BASE}{tail}", path_parameters={"store": store}, body=body, claims=claims(sub) if sub else None
    )
    if q:
        event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in q.items())
        event["queryStringParameters"] = dict(q)
    return cloud.http("StoreSettings", event)


def saved(cloud: Cloud, section: str, body: dict[str, Any], sub: str = OWNER, *, store: str = SHOP) -> dict[str, Any]:
    response = settings_call(cloud, "PUT", f"/{section}", sub, body, store=store)
    assert response.status == 200, response.body
    found: dict[str, Any] = response.body
    return found
