"""Who may call which route: every route of the template against every kind of caller, over real HTTP.

A route added to the template without an entry in ACCESS fails `test_every_route_is_in_the_matrix`.
Staff roles (owner, admin, staff) join the callers when stores and staff arrive.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest

from localcloud.template import http_routes, load_sam
from tests.e2e.conftest import LocalCloud, Response, http_request

pytestmark = pytest.mark.e2e

PUBLIC, OPERATOR, SHOPPER = "public", "operator", "shopper of the store"
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
}
STORE, OTHER_STORE = "mystmereforge", "access-matrix-other"
PASSWORD = "Corr3ct-Horse-Battery"
CALLERS = ("nobody", "operator", "shopper of the store", "shopper of another store")


@dataclass(frozen=True)
class Caller:
    name: str
    token: str | None


def _post(cloud: LocalCloud, path: str, body: dict[str, Any]) -> Response:
    return http_request(cloud.api_url + path, "POST", {"content-type": "application/json"}, json.dumps(body).encode())


def _code_for(cloud: LocalCloud, email: str) -> str:
    messages = json.loads(cloud.api(f"/_local/outbox?to={email}").body)["messages"]
    found = re.findall(r"\b(\d{6})\b", messages[-1]["body"])
    assert found, messages[-1]
    return str(found[0])


def _log_in(cloud: LocalCloud, prefix: str, email: str) -> str:
    """Sign up, confirm with the emailed code, log in: the access token."""
    assert _post(cloud, f"{prefix}/auth/signup", {"email": email, "password": PASSWORD}).status == 202
    confirmed = _post(cloud, f"{prefix}/auth/confirm", {"email": email, "code": _code_for(cloud, email)})
    assert confirmed.status in (200, 204), confirmed.body
    login = _post(cloud, f"{prefix}/auth/login", {"email": email, "password": PASSWORD})
    assert login.status == 200, login.body
    return str(login.json()["access_token"])


@pytest.fixture(scope="module")
def callers(local_cloud: LocalCloud) -> dict[str, Caller]:
    step = {"step": "store", "store": {"id": OTHER_STORE, "name": "Other", "currency": "EUR", "country": "DE"}}
    local_cloud.client("lambda").invoke(
        FunctionName=local_cloud.names["CatalogImport"], Payload=json.dumps(step | {"categories": []}).encode()
    )
    return {
        "nobody": Caller("nobody", None),
        "operator": Caller("operator", _log_in(local_cloud, "", "owner@access.test")),
        "shopper of the store": Caller("shopper", _log_in(local_cloud, f"/stores/{STORE}", "buyer@access.test")),
        # The same email, an independent account in another store.
        "shopper of another store": Caller(
            "shopper", _log_in(local_cloud, f"/stores/{OTHER_STORE}", "buyer@access.test")
        ),
    }


def test_every_route_is_in_the_matrix() -> None:
    assert {r.route_key for r in http_routes(load_sam())} == set(ACCESS)


def _allowed(route_key: str, caller: str) -> bool:
    audience = ACCESS[route_key]
    return audience in (PUBLIC, caller) or (audience == OPERATOR and caller == "operator")


def _call(cloud: LocalCloud, route_key: str, caller: Caller) -> Response:
    method, path = route_key.split(" ", 1)
    path = path.replace("{store}", STORE).replace("{product}", "ember-longsword")
    headers = {"content-type": "application/json"}
    if caller.token:
        headers["authorization"] = f"Bearer {caller.token}"
    return http_request(cloud.api_url + path, method, headers, b"{}" if method == "POST" else None)


# Logging out revokes the caller's refresh tokens, so logout routes run last for each caller.
ORDERED_ROUTES = sorted(ACCESS, key=lambda route: route.endswith("/logout"))


@pytest.mark.parametrize("caller_name", CALLERS)
def test_each_caller_reaches_exactly_the_routes_allowed(
    local_cloud: LocalCloud, callers: dict[str, Caller], caller_name: str
) -> None:
    wrong = []
    for route_key in ORDERED_ROUTES:
        response = _call(local_cloud, route_key, callers[caller_name])
        allowed = _allowed(route_key, caller_name)
        refused = response.status in (401, 403)
        if allowed == refused or response.status >= 500:
            wrong.append(f"{route_key}: {response.status} {response.body[:120]!r}")
    assert not wrong, "\n".join(wrong)
