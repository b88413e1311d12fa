"""Operators in the e2e local cloud: accounts through the real auth routes, stores through /admin/stores.

Imported as `tests.e2e.operators`.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from tests.e2e.conftest import LocalCloud, Response, eventually, http_request

PASSWORD = "Corr3ct-Horse-Battery"


def call(
    cloud: LocalCloud, method: str, path: str, token: str | None = None, body: Any = None, *, source: str | None = None
) -> Response:
    headers = {"content-type": "application/json"} | ({"authorization": f"Bearer {token}"} if token else {})
    data = None if body is None else json.dumps(body).encode()
    return http_request(cloud.api_url + path, method, headers, data, source=source)


def address_of(email: str) -> str:
    """The loopback address a person signs up from: each person their own, as on the internet.

    The sign-up limit per IP (20 an hour) would otherwise count every account of the session as one client.
    """
    digest = hashlib.sha256(email.encode()).digest()
    return f"127.{1 + digest[0] % 250}.{digest[1]}.{1 + digest[2] % 250}"


def code_for(cloud: LocalCloud, email: str) -> str:
    messages = json.loads(cloud.api(f"/_local/outbox?to={email}").body)["messages"]
    found = re.findall(r"\b(\d{6})\b", messages[-1]["body"])
    assert found, messages[-1]
    return str(found[0])


def log_in(cloud: LocalCloud, prefix: str, email: str) -> str:
    """Sign up, confirm with the emailed code, log in: the access token."""
    source = address_of(email)
    signup = call(cloud, "POST", f"{prefix}/auth/signup", body={"email": email, "password": PASSWORD}, source=source)
    assert signup.status == 202, signup.body
    code = code_for(cloud, email)
    confirmed = call(cloud, "POST", f"{prefix}/auth/confirm", body={"email": email, "code": code}, source=source)
    assert confirmed.status in (200, 204), confirmed.body
    login = call(cloud, "POST", f"{prefix}/auth/login", body={"email": email, "password": PASSWORD}, source=source)
    assert login.status == 200, login.body
    return str(login.json()["access_token"])


def provisioning(cloud: LocalCloud, token: str, store: str) -> dict[str, Any]:
    response = call(cloud, "GET", f"/admin/stores/{store}/provisioning", token)
    assert response.status == 200, response.body
    found: dict[str, Any] = response.json()
    return found


def open_ready_store(cloud: LocalCloud, token: str, name: str, timeout: float = 60) -> str:
    """Open a store over HTTP and wait until the real state machine has provisioned it."""
    body = {"name": name, "niche": "books", "description": "", "currency": "EUR", "country": "FR"}
    opened = call(cloud, "POST", "/admin/stores", token, body)
    assert opened.status == 202, opened.body
    store = str(opened.json()["id"])
    done = eventually(lambda: provisioning(cloud, token, store), lambda p: p["status"] in ("READY", "FAILED"), timeout)
    assert done == {"status": "READY", "progress": 100, "error": None}, done
    return store


def invitation_token(cloud: LocalCloud, email: str) -> str:
    messages = json.loads(cloud.api(f"/_local/outbox?to={email}").body)["messages"]
    found = re.findall(
        r"invitation code: ([a-z0-9-]+\.[0-9a-f]+\.[A-Za-z0-9_-]+)", messages[-1]["body"], flags=re.IGNORECASE
    )
    assert found, messages[-1]
    return str(found[0])


def invite(cloud: LocalCloud, inviter_token: str, store: str, email: str, role: str) -> str:
    """Invite an operator into the store with a role; they accept from the email. Their access token."""
    invited = call(cloud, "POST", f"/admin/stores/{store}/invitations", inviter_token, {"email": email, "role": role})
    assert invited.status == 201, invited.body
    token = invitation_token(cloud, email)
    accepted = call(cloud, "POST", "/auth/invitations/accept", body={"token": token, "password": PASSWORD})
    assert accepted.status == 200, accepted.body
    return str(accepted.json()["access_token"])
