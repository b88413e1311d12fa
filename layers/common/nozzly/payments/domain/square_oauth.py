"""A store's own Square seller account, connected through Square OAuth: what Nozzly keeps in the open (merchant,
location, token expiry) and the rules for the one-use state and the scheduled refresh. The tokens themselves are
secrets: they live only in the token vault (payments/adapters/token_vault.py), never in a table or an answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from nozzly.kernel.domain.errors import InvalidInput

STATE_SECONDS = 600  # an authorize link's state is good for 10 minutes, once
SCOPES = ("MERCHANT_PROFILE_READ", "PAYMENTS_READ", "PAYMENTS_WRITE")
_SEPARATOR = "."


@dataclass(frozen=True, slots=True)
class SquareTokens:
    """Secret: kept in the vault only."""

    access_token: str
    refresh_token: str
    expires_at: int  # unix seconds
    merchant_id: str


@dataclass(frozen=True, slots=True)
class SquareConnection:
    """What the payouts settings show of a connected Square account (no secret)."""

    merchant_id: str
    location_id: str
    expires_at: int
    connected_at: int

    def needs_refresh(self, now: int, within_days: int) -> bool:
        """Square access tokens last 30 days; refreshing those that end within N days keeps every store payable
        even if a scheduled run fails a few times."""
        return self.expires_at <= now + within_days * 86400


def oauth_state(store_id: str, nonce: str) -> str:
    """The state Square hands back to the callback: the store (so the callback finds its record) and an
    unguessable nonce (so nobody can forge or replay one)."""
    return f"{store_id}{_SEPARATOR}{nonce}"


def state_store(state: str) -> str:
    """The store a callback's state names; InvalidInput for a state Nozzly never made."""
    store_id, _, nonce = state.partition(_SEPARATOR)
    if not store_id or len(nonce) < 32 or len(state) > 200:
        raise InvalidInput("unknown or expired authorization state", field="state")
    return store_id
