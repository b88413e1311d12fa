"""Driving the account functions as a person would: HTTP API v2 requests, the outbox, tokens.

Imported as `tests.functional.auth_helpers`. Authorized routes get what API Gateway's JWT authorizer hands a
function after verifying a token: its claims, as strings, in requestContext.authorizer.jwt.claims.
"""

from __future__ import annotations

import base64
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from localcloud.template import ACCOUNT_ID, REGION
from tests.functional.harness import Cloud, HttpResponse, load_event

IP = "203.0.113.42"
OPERATOR = "OperatorAuth"
SHOPPER = "ShopperAuth"
_CODE = re.compile(r"\b([0-9]{6})\b")


def api_event(
    route_key: str,
    *,
    path_parameters: dict[str, str] | None = None,
    body: Any = None,
    raw_body: str | None = None,
    headers: dict[str, str] | None = None,
    claims: dict[str, str] | None = None,
    source_ip: str = IP,
) -> dict[str, Any]:
    """An HTTP API v2 event for a route, shaped like the events/ files (which came from API Gateway)."""
    event = load_event("storefront_get_store.json")
    method, route = route_key.split(" ", 1)
    path = route.format(**(path_parameters or {}))
    event["routeKey"] = event["requestContext"]["routeKey"] = route_key
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    event["requestContext"]["http"]["sourceIp"] = source_ip
    event["headers"]["x-forwarded-for"] = source_ip
    event.pop("pathParameters", None)
    if path_parameters:
        event["pathParameters"] = dict(path_parameters)
    text = raw_body if raw_body is not None else (None if body is None else json.dumps(body))
    event["body"] = text
    event["headers"]["content-length"] = str(len((text or "").encode()))
    if text is not None:
        event["headers"]["content-type"] = "application/json"
    event["headers"] |= headers or {}
    if claims is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": claims, "scopes": None}}
    return event


def token_claims(token: str) -> dict[str, str]:
    """A token's claims as the authorizer passes them on once it verified the token: every value a string."""
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))

    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return "[" + " ".join(text(v) for v in value) + "]"
        return str(value)

    return {k: text(v) for k, v in claims.items()}


@dataclass(frozen=True, slots=True)
class SentEmail:
    source: str
    to: list[str]
    subject: str
    body: str


def outbox(to: str | None = None) -> list[SentEmail]:
    """Every email SES sent during the test, oldest first; read from moto's SES backend in-process."""
    from moto.ses.models import ses_backends

    sent = [
        SentEmail(m.source, [a for addresses in m.destinations.values() for a in addresses], m.subject, m.body)
        for m in ses_backends[ACCOUNT_ID][REGION].sent_messages
    ]
    return [m for m in sent if to is None or to in m.to]


def code_in(email: SentEmail) -> str:
    found = _CODE.search(email.body)
    assert found, f"no code in {email.subject!r}"
    return found.group(1)


def last_code(to: str) -> str:
    sent = outbox(to)
    assert sent, f"no email to {to}"
    return code_in(sent[-1])


def without_request_id(body: dict[str, Any]) -> dict[str, Any]:
    """An error body without what differs between any two requests."""
    return {"error": {k: v for k, v in body["error"].items() if k != "request_id"}}


def clear_of_window_end(window_seconds: int, margin: float = 10) -> None:
    """Throttling windows are fixed; a test counting within one waits for the next if this one ends soon."""
    left = window_seconds - time.time() % window_seconds
    if left < margin:
        time.sleep(left + 0.1)


def cognito_calls(cloud: Cloud, function: str) -> list[str]:
    """Names of the Cognito operations the function makes from now on, through its cached client."""
    from nozzly.kernel.adapters import aws

    calls: list[str] = []
    cloud.apply_environment(cloud.environments[function])
    aws.client("cognito-idp").meta.events.register(
        "before-call.cognito-idp", lambda model, **_: calls.append(model.name)
    )
    return calls


def open_store(cloud: Cloud, store_id: str, name: str, *, status: str = "active") -> None:
    """A store profile as the catalog import writes it."""
    item = {"pk": store_id, "sk": "PROFILE", "type": "store", "name": name, "currency": "EUR", "country": "DE"}
    cloud.client("dynamodb").put_item(
        TableName=cloud.stores_table, Item={k: {"S": v} for k, v in (item | {"status": status}).items()}
    )


@dataclass
class AuthApi:
    """One realm's account routes: the operators' (store None) or one store's shoppers'."""

    cloud: Cloud
    store: str | None = None
    ip: str = IP

    @property
    def function(self) -> str:
        return OPERATOR if self.store is None else SHOPPER

    def call(self, method: str, route: str, body: Any = None, *, token: str | None = None, **kw: Any) -> HttpResponse:
        """`route` as the operators' (e.g. "/auth/login"); a store's routes are the same under /stores/{store}."""
        prefix, params = ("", None) if self.store is None else ("/stores/{store}", {"store": self.store})
        headers = kw.pop("headers", {}) | ({"authorization": f"Bearer {token}"} if token else {})
        claims = kw.pop("claims", token_claims(token) if token else None)
        event = api_event(
            f"{method} {prefix}{route}",
            path_parameters=params,
            body=body,
            headers=headers,
            claims=claims,
            source_ip=kw.pop("ip", self.ip),
            **kw,
        )
        return self.cloud.http(self.function, event)

    def fresh_window(self, window_seconds: int) -> None:
        """Before counting requests against a throttling limit: not in the last seconds of a window."""
        clear_of_window_end(window_seconds)

    def post(self, route: str, body: Any = None, **kw: Any) -> HttpResponse:
        return self.call("POST", route, body, **kw)

    def signup(self, email: str, password: str, **kw: Any) -> HttpResponse:
        return self.post("/auth/signup", {"email": email, "password": password, **kw})

    def confirm(self, email: str, code: str) -> HttpResponse:
        return self.post("/auth/confirm", {"email": email, "code": code})

    def login(self, email: str, password: str, **kw: Any) -> HttpResponse:
        return self.post("/auth/login", {"email": email, "password": password}, **kw)

    def refresh(self, refresh_token: str) -> HttpResponse:
        return self.post("/auth/refresh", {"refresh_token": refresh_token})

    def me(self, token: str, **kw: Any) -> HttpResponse:
        return self.call("GET", "/me", token=token, **kw)

    def logout(self, token: str, **kw: Any) -> HttpResponse:
        return self.post("/auth/logout", token=token, **kw)

    def registered(self, email: str, password: str, **kw: Any) -> dict[str, Any]:
        """Sign up, confirm with the emailed code, log in: the login's tokens."""
        assert self.signup(email, password, **kw).status == 202
        assert self.confirm(email, last_code(email)).status == 204
        response = self.login(email, password)
        assert response.status == 200, response.body
        tokens: dict[str, Any] = response.body
        return tokens
