"""Square OAuth for the local Square sandbox, as the squareup SDK and a browser use it:

- `GET /oauth2/authorize?client_id&state&redirect_uri` approves at once (a local seller, no login) and redirects
  to `redirect_uri?code=...&state=...`, as Square does after the seller's consent.
- `POST /oauth2/token`: `authorization_code` (a code once, with its redirect_uri) and `refresh_token` grants, with
  the application's id and secret; answers access token, refresh token, `expires_at` (30 days), merchant id.
- `POST /oauth2/revoke` with `Authorization: Client <secret>`: every token of that merchant stops working.
- `GET /v2/locations` with a merchant's token: its one active location.
"""

from __future__ import annotations

import secrets
import threading
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

TOKEN_SECONDS = 30 * 86400  # Square's access tokens last 30 days


class OAuthRefused(Exception):
    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(code)
        self.status, self.code, self.detail = status, code, detail

    def body(self) -> dict[str, Any]:
        return {"errors": [{"category": "AUTHENTICATION_ERROR", "code": self.code, "detail": self.detail}]}


class OAuthServer:
    def __init__(self, application_id: str, application_secret: str) -> None:
        self.application_id, self.secret = application_id, application_secret
        self.codes: dict[str, tuple[str, str]] = {}  # code -> (redirect_uri, merchant)
        self.access: dict[str, str] = {}  # live access token -> merchant
        self.refresh_tokens: dict[str, str] = {}  # refresh token -> merchant
        self.lock = threading.Lock()

    def authorize(self, query: str) -> str:
        """Where the seller's browser goes next: the redirect URI with a fresh code and the state."""
        asked = {k: v[0] for k, v in parse_qs(query).items()}
        if asked.get("client_id") != self.application_id or not asked.get("redirect_uri"):
            raise OAuthRefused(400, "BAD_REQUEST", "client_id and redirect_uri are required")
        code = "sq0cgb-" + secrets.token_urlsafe(24)
        with self.lock:
            self.codes[code] = (asked["redirect_uri"], "ML" + secrets.token_hex(6).upper())
        return f"{asked['redirect_uri']}?{urlencode({'code': code, 'state': asked.get('state', '')})}"

    def token(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("client_id") != self.application_id or body.get("client_secret") != self.secret:
            raise OAuthRefused(401, "UNAUTHORIZED", "Invalid client_id or client_secret")
        with self.lock:
            if body.get("grant_type") == "authorization_code":
                found = self.codes.pop(str(body.get("code")), None)
                if found is None or found[0] != body.get("redirect_uri"):
                    raise OAuthRefused(401, "UNAUTHORIZED", "Invalid or used authorization code")
                merchant = found[1]
            elif body.get("grant_type") == "refresh_token":
                merchant_of = self.refresh_tokens.get(str(body.get("refresh_token")))
                if merchant_of is None:
                    raise OAuthRefused(401, "UNAUTHORIZED", "Invalid refresh token")
                merchant = merchant_of
                self.access = {t: m for t, m in self.access.items() if m != merchant}
            else:
                raise OAuthRefused(400, "BAD_REQUEST", "grant_type must be authorization_code or refresh_token")
            access = "EAAA" + secrets.token_urlsafe(32)
            refresh = next((t for t, m in self.refresh_tokens.items() if m == merchant), None)
            refresh = refresh or "EQAA" + secrets.token_urlsafe(32)
            self.access[access], self.refresh_tokens[refresh] = merchant, merchant
        expires = datetime.fromtimestamp(time.time() + TOKEN_SECONDS, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "access_token": access,
            "token_type": "bearer",
            "expires_at": expires,
            "merchant_id": merchant,
            "refresh_token": refresh,
        }

    def revoke(self, body: dict[str, Any], authorization: str | None) -> dict[str, Any]:
        if authorization != f"Client {self.secret}" or body.get("client_id") != self.application_id:
            raise OAuthRefused(401, "UNAUTHORIZED", "Authorization must be Client <application secret>")
        with self.lock:
            merchant = self.access.get(str(body.get("access_token"))) or body.get("merchant_id")
            if merchant is None:
                raise OAuthRefused(404, "NOT_FOUND", "No such access token")
            self.access = {t: m for t, m in self.access.items() if m != merchant}
            self.refresh_tokens = {t: m for t, m in self.refresh_tokens.items() if m != merchant}
        return {"success": True}

    def merchant(self, authorization: str | None) -> str | None:
        token = (authorization or "").removeprefix("Bearer ")
        return self.access.get(token)

    def memory(self) -> dict[str, Any]:
        with self.lock:
            return {"codes": dict(self.codes), "access": dict(self.access), "refresh": dict(self.refresh_tokens)}

    def remember(self, saved: dict[str, Any]) -> None:
        with self.lock:
            self.codes.update(saved["codes"])
            self.access.update(saved["access"])
            self.refresh_tokens.update(saved["refresh"])

    @staticmethod
    def locations(merchant: str) -> dict[str, Any]:
        location = {"id": f"L{merchant}", "name": "Main", "merchant_id": merchant, "status": "ACTIVE"}
        return {"locations": [location]}
