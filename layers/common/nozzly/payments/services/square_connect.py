"""A store's own Square account through Square OAuth: the owner asks for an authorize link, Square sends them
back to the public callback with a code, Nozzly exchanges it (tokens into the vault, merchant and location into
the table), a schedule refreshes tokens before they end, and the owner can disconnect (revoke).

The operator routes check `settings.manage`; the callback is public and trusts only its one-use state.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.kernel.domain.errors import InvalidInput, NotFound
from nozzly.observability import logger
from nozzly.payments.adapters.square_connections import SquareConnectionsRepository
from nozzly.payments.adapters.square_oauth import SquareAuthorization
from nozzly.payments.adapters.token_vault import TokenVault
from nozzly.payments.domain.square_oauth import STATE_SECONDS, SquareConnection, oauth_state, state_store
from nozzly.stores.adapters.store_members import MembersRepository
from nozzly.stores.domain.permissions import Action
from nozzly.stores.services.tenancy import require

__all__ = ["SquareConnect"]


@dataclass(frozen=True)
class SquareConnect:
    members: MembersRepository
    connections: SquareConnectionsRepository
    vault: TokenVault
    oauth: SquareAuthorization
    redirect_uri: str  # the public callback's URL, exactly as registered with Square
    clock: Callable[[], float] = field(default=time.time)

    def connection(self, store_id: str, caller: str) -> SquareConnection | None:
        require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        return self.connections.get(store_id)

    def authorize_url(self, store_id: str, caller: str) -> tuple[str, int]:
        """Square's authorize page for this store, and when its state expires."""
        require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        state = oauth_state(store_id, secrets.token_urlsafe(32))
        expires_at = int(self.clock()) + STATE_SECONDS
        self.connections.save_state(store_id, state, expires_at)
        return self.oauth.authorize_url(state, self.redirect_uri), expires_at

    def complete(self, state: str, code: str) -> tuple[str, SquareConnection]:
        """The callback: the state taken (once), the code exchanged, the tokens kept in the vault."""
        store_id = state_store(state)
        if not self.connections.take_state(store_id, state, int(self.clock())):
            raise InvalidInput("unknown or expired authorization state", field="state")
        tokens = self.oauth.obtain(code, self.redirect_uri)
        location = self.oauth.main_location(tokens.access_token)
        self.vault.put(store_id, tokens)
        connection = SquareConnection(tokens.merchant_id, location, tokens.expires_at, int(self.clock()))
        self.connections.save(store_id, connection)
        logger.info("square connected", extra={"store_id": store_id, "merchant_id": tokens.merchant_id})
        return store_id, connection

    def disconnect(self, store_id: str, caller: str) -> None:
        """Square revokes the tokens, then Nozzly forgets them and the connection."""
        require(self.members, store_id, caller, Action.SETTINGS_MANAGE)
        if self.connections.get(store_id) is None:
            raise NotFound("this store has no Square account connected", field="square")
        tokens = self.vault.get(store_id)
        if tokens is not None:
            self.oauth.revoke(tokens.access_token)
        self.vault.delete(store_id)
        self.connections.delete(store_id)
        logger.info("square disconnected", extra={"store_id": store_id})

    def refresh_due(self, within_days: int) -> dict[str, int]:
        """Refresh every store's tokens ending within `within_days`; one store's failure does not stop the rest
        (it is retried on the next run, days before its token ends)."""
        now = int(self.clock())
        refreshed = failed = 0
        for store_id in self.connections.due(now + within_days * 86400):
            try:
                self._refresh(store_id)
                refreshed += 1
            except Exception:
                logger.exception("refreshing a square token failed", extra={"store_id": store_id})
                failed += 1
        return {"refreshed": refreshed, "failed": failed}

    def _refresh(self, store_id: str) -> None:
        current, tokens = self.connections.get(store_id), self.vault.get(store_id)
        if current is None or tokens is None:
            return
        fresh = self.oauth.refresh(tokens.refresh_token)
        self.vault.put(store_id, fresh)
        self.connections.save(
            store_id, SquareConnection(current.merchant_id, current.location_id, fresh.expires_at, current.connected_at)
        )
