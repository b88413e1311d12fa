"""Square OAuth through the squareup SDK (imported on first use): code exchange, refresh, revoke, and the
seller's main location. Square's refusals become InvalidInput; anything else propagates for a retry."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlencode

from nozzly.kernel.adapters.secrets import Key, current
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.payments.domain.square_oauth import SCOPES, SquareTokens


class SquareAuthorization(Protocol):
    """The provider side of Square OAuth (a fake stands in for it in the functional tests)."""

    def authorize_url(self, state: str, redirect_uri: str) -> str: ...

    def obtain(self, code: str, redirect_uri: str) -> SquareTokens: ...

    def refresh(self, refresh_token: str) -> SquareTokens: ...

    def revoke(self, access_token: str) -> None: ...

    def main_location(self, access_token: str) -> str: ...


def _seconds(expires_at: str | None) -> int:
    if not expires_at:
        raise InvalidInput("Square: the token has no expiry", field="code")
    return int(datetime.fromisoformat(expires_at.replace("Z", "+00:00")).timestamp())


@contextmanager
def _refusals() -> Iterator[None]:
    from square.core.api_error import ApiError

    try:
        yield
    except ApiError as exc:
        if exc.status_code is not None and 400 <= exc.status_code < 500:
            raise InvalidInput(f"Square refused the authorization ({exc.status_code})", field="code") from None
        raise


class SquareOAuth:
    def __init__(self, application_id: str, application_secret: Key, base_url: str, timeout: float = 8.0) -> None:
        self._id, self._secret, self._base, self._timeout = application_id, application_secret, base_url, timeout

    def _client(self, token: str | None = None) -> Any:
        from square import Square

        return Square(token=token, base_url=self._base, timeout=self._timeout)  # no token: no Authorization

    def authorize_url(self, state: str, redirect_uri: str) -> str:
        query = {"client_id": self._id, "scope": " ".join(SCOPES), "session": "false", "state": state}
        return f"{self._base}/oauth2/authorize?{urlencode(query | {'redirect_uri': redirect_uri})}"

    def _tokens(self, answer: Any) -> SquareTokens:
        return SquareTokens(
            str(answer.access_token), str(answer.refresh_token), _seconds(answer.expires_at), str(answer.merchant_id)
        )

    def obtain(self, code: str, redirect_uri: str) -> SquareTokens:
        with _refusals():
            answer = self._client().o_auth.obtain_token(
                client_id=self._id,
                client_secret=current(self._secret),
                code=code,
                grant_type="authorization_code",
                redirect_uri=redirect_uri,
            )
        return self._tokens(answer)

    def refresh(self, refresh_token: str) -> SquareTokens:
        with _refusals():
            answer = self._client().o_auth.obtain_token(
                client_id=self._id,
                client_secret=current(self._secret),
                refresh_token=refresh_token,
                grant_type="refresh_token",
            )
        return self._tokens(answer)

    def revoke(self, access_token: str) -> None:
        with _refusals():
            self._client().o_auth.revoke_token(
                client_id=self._id,
                access_token=access_token,
                request_options={"additional_headers": {"Authorization": f"Client {current(self._secret)}"}},
            )

    def main_location(self, access_token: str) -> str:
        """The seller's first active location: where its payments are taken."""
        with _refusals():
            locations = self._client(access_token).locations.list().locations or []
        active = [loc for loc in locations if getattr(loc, "status", "ACTIVE") == "ACTIVE"]
        if not active:
            raise InvalidInput("the Square account has no active location", field="code")
        return str(active[0].id)
