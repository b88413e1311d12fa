"""Who may call which route: every route of the template against every kind of caller, over real HTTP.

A route added to the template without an entry in ACCESS fails `test_every_route_is_in_the_matrix`.
MEMBER routes act on one store: its owner gets through; any other operator gets 404, as if the store
did not exist (tenant isolation), which counts as refused. Admin and staff callers join with staff management.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from localcloud.template import http_routes, load_sam
from tests.e2e.conftest import LocalCloud, Response, http_request
from tests.e2e.operators import log_in, open_ready_store

pytestmark = pytest.mark.e2e

PUBLIC, OPERATOR, SHOPPER = "public", "operator", "shopper of the store"
MEMBER = "operator who belongs to the store"
ACCESS = {
    "GET /health": PUBLIC,
    "GET /health/live": PUBLIC,
    "GET /health/ready": PUBLIC,
    "GET /stores/{store}": PUBLIC,
    "GET /stores/{store}/categories": PUBLIC,
    "GET /stores/{store}/products": PUBLIC,
    "GET /stores/{store}/products/{product}": PUBLIC,
    "POST /auth/signup": PUBLIC,
    "POST /auth/confirm": PUBLIC,
    "POST /auth/login": PUBLIC,
    "POST /auth/refresh": PUBLIC,
    "POST /auth/forgot-password": PUBLIC,
    "POST /auth/reset-password": PUBLIC,
    "POST /auth/logout": OPERATOR,
    "GET /me": OPERATOR,
    "POST /stores/{store}/auth/signup": PUBLIC,
    "POST /stores/{store}/auth/confirm": PUBLIC,
    "POST /stores/{store}/auth/login": PUBLIC,
    "POST /stores/{store}/auth/refresh": PUBLIC,
    "POST /stores/{store}/auth/forgot-password": PUBLIC,
    "POST /stores/{store}/auth/reset-password": PUBLIC,
    "POST /stores/{store}/auth/logout": SHOPPER,
    "GET /stores/{store}/me": SHOPPER,
    "PATCH /stores/{store}/me": SHOPPER,
    "GET /stores/{store}/me/addresses": SHOPPER,
    "POST /stores/{store}/me/addresses": SHOPPER,
    "PUT /stores/{store}/me/addresses/{address}": SHOPPER,
    "DELETE /stores/{store}/me/addresses/{address}": SHOPPER,
    "POST /stores/{store}/sessions": PUBLIC,
    "POST /admin/stores": OPERATOR,
    "GET /admin/stores": OPERATOR,
    "GET /admin/stores/{store}": MEMBER,
    "PATCH /admin/stores/{store}": MEMBER,
    "DELETE /admin/stores/{store}": MEMBER,
    "GET /admin/stores/{store}/provisioning": MEMBER,
}
STORE, OTHER_STORE = "mystmereforge", "access-matrix-other"
OWNER = "owner of the store"
CALLERS = ("nobody", "operator", "shopper of the store", "shopper of another store", OWNER)


@dataclass(frozen=True)
class Caller:
    name: str
    token: str | None


@pytest.fixture(scope="module")
def callers(local_cloud: LocalCloud) -> dict[str, Caller]:
    step = {"step": "store", "store": {"id": OTHER_STORE, "name": "Other", "currency": "EUR", "country": "DE"}}
    local_cloud.client("lambda").invoke(
        FunctionName=local_cloud.names["CatalogImport"], Payload=json.dumps(step | {"categories": []}).encode()
    )
    owner = log_in(local_cloud, "", "store-owner@access.test")
    return {
        "nobody": Caller("nobody", None),
        "operator": Caller("operator", log_in(local_cloud, "", "owner@access.test")),
        "shopper of the store": Caller("shopper", log_in(local_cloud, f"/stores/{STORE}", "buyer@access.test")),
        # The same email, an independent account in another store.
        "shopper of another store": Caller(
            "shopper", log_in(local_cloud, f"/stores/{OTHER_STORE}", "buyer@access.test")
        ),
        OWNER: Caller(OWNER, owner),
    }


@pytest.fixture(scope="module")
def owned_store(local_cloud: LocalCloud, callers: dict[str, Caller]) -> str:
    """The owner's store, provisioned by the real workflow; MEMBER routes act on it."""
    token = callers[OWNER].token
    assert token is not None
    return open_ready_store(local_cloud, token, "Access Matrix Books")


def test_every_route_is_in_the_matrix() -> None:
    assert {r.route_key for r in http_routes(load_sam())} == set(ACCESS)


def _allowed(route_key: str, caller: str) -> bool:
    audience = ACCESS[route_key]
    if audience == OPERATOR:  # any operator, whatever stores they belong to
        return caller in ("operator", OWNER)
    return audience in (PUBLIC, caller) or (audience == MEMBER and caller == OWNER)


def _call(cloud: LocalCloud, route_key: str, caller: Caller, owned_store: str) -> Response:
    method, path = route_key.split(" ", 1)
    store = owned_store if ACCESS[route_key] == MEMBER else STORE
    path = path.replace("{store}", store).replace("{product}", "ember-longsword").replace("{address}", "no-such-id")
    headers = {"content-type": "application/json"}
    if caller.token:
        headers["authorization"] = f"Bearer {caller.token}"
    body = b"{}" if method in ("POST", "PATCH", "PUT") else None
    return http_request(cloud.api_url + path, method, headers, body)


# Logging out revokes the caller's refresh tokens and deleting the store ends the owner's access to it,
# so both run last for each caller.
ORDERED_ROUTES = sorted(ACCESS, key=lambda route: (route.endswith("/logout"), route.startswith("DELETE ")))


@pytest.mark.parametrize("caller_name", CALLERS)
def test_each_caller_reaches_exactly_the_routes_allowed(
    local_cloud: LocalCloud, callers: dict[str, Caller], owned_store: str, caller_name: str
) -> None:
    wrong = []
    for route_key in ORDERED_ROUTES:
        response = _call(local_cloud, route_key, callers[caller_name], owned_store)
        allowed = _allowed(route_key, caller_name)
        # A non-member must not learn that the store exists: 404 is how a MEMBER route refuses.
        refused = response.status in (401, 403) or (ACCESS[route_key] == MEMBER and response.status == 404)
        if allowed == refused or response.status >= 500:
            wrong.append(f"{route_key}: {response.status} {response.body[:120]!r}")
    assert not wrong, "\n".join(wrong)
