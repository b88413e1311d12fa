"""Driving the store administration and provisioning functions as API Gateway and Step Functions would.

Imported as `tests.functional.store_helpers`.
"""

from __future__ import annotations

import json
from typing import Any

from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse

ALICE, BOB, CAROL = "0f1e2d3c-aaaa-4000-8000-000000000001", "0f1e2d3c-bbbb-4000-8000-000000000002", "carol-sub"
OPEN = {"name": "Lantern & Loom", "niche": "home", "description": "Lamps.", "currency": "EUR", "country": "DE"}


def claims(sub: str) -> dict[str, str]:
    """An operator access token's claims as the JWT authorizer passes them on."""
    return {"sub": sub, "username": sub, "token_use": "access", "client_id": "operator-client"}


def admin(cloud: Cloud, route_key: str, sub: str | None, store: str | None = None, body: Any = None) -> HttpResponse:
    event = api_event(
        route_key,
        path_parameters={"store": store} if store else None,
        body=body,
        claims=claims(sub) if sub else None,
    )
    return cloud.http("StoreAdmin", event)


def open_store(cloud: Cloud, sub: str = ALICE, **changes: str) -> str:
    response = admin(cloud, "POST /admin/stores", sub, body=OPEN | changes)
    assert response.status == 202, response.body
    return str(response.body["id"])


def step(cloud: Cloud, name: str, store: str, error: dict[str, str] | None = None) -> Any:
    return cloud.invoke("StoreProvisioning", {"step": name, "store_id": store} | ({"error": error} if error else {}))


def provision(cloud: Cloud, store: str) -> None:
    """The workflow's happy path, step by step."""
    step(cloud, "seeding", store)
    step(cloud, "seed", store)


def caught(exc: Exception) -> dict[str, str]:
    """What a Catch puts in $.error for a Lambda task whose handler raised `exc`."""
    cause = {"errorType": type(exc).__name__, "errorMessage": str(exc), "stackTrace": ["..."]}
    return {"Error": type(exc).__name__, "Cause": json.dumps(cause)}


def keys(cloud: Cloud, table: str, store: str) -> list[str]:
    return [i["sk"]["S"] for i in cloud.all_items(table) if i["pk"]["S"] == store]
