"""Guest sessions: an unguessable id a shopper without an account keeps a cart under (the cart issue's key).

POST /stores/{store}/sessions starts one (throttled per IP); verify_guest_session is what the cart code asks.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nozzly.accounts.adapters.guest_sessions import GuestSessionStore
from nozzly.accounts.adapters.throttle import Throttle
from nozzly.accounts.domain.accounts import Action, ip_window
from nozzly.stores.adapters.stores import StoresRepository

SESSION_TTL_SECONDS = 30 * 24 * 3600
_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32): 256 bits, 43 characters


@dataclass(frozen=True, slots=True)
class GuestSession:
    session_id: str
    expires_at: int


@dataclass(frozen=True)
class GuestSessions:
    sessions: GuestSessionStore
    stores: StoresRepository
    throttle: Throttle
    clock: Callable[[], float] = field(default=time.time)

    def start(self, store_id: str, ip: str) -> GuestSession:
        """404 for an unknown or deleted store; 429 past 30 sessions per IP and hour."""
        self.stores.get(store_id)
        now = self.clock()
        self.throttle.take([ip_window(Action.GUEST_SESSION, ip, now)], now)
        session = GuestSession(secrets.token_urlsafe(32), int(now) + SESSION_TTL_SECONDS)
        self.sessions.create(store_id, session.session_id, created_at=int(now), expires_at=session.expires_at)
        return session

    def verify(self, store_id: str, session_id: str) -> bool:
        """Whether the id names a live session of this store. A session past expires_at is absent, though
        DynamoDB's TTL may not have deleted it yet (and the local emulator never does)."""
        if not looks_like_session_id(session_id):
            return False  # not an id this service issues: no read needed
        expires_at = self.sessions.expires_at(store_id, session_id)
        return expires_at is not None and expires_at > self.clock()


def looks_like_session_id(value: str) -> bool:
    """Shaped like an id this service issues; anything else needs no read to be refused."""
    return _SESSION_ID.match(value) is not None


def verify_guest_session(store_id: str, session_id: str, *, sessions: GuestSessions) -> bool:
    """For the cart code: is this a live guest session of the store? (`sessions`: nozzly.wiring.accounts')"""
    return sessions.verify(store_id, session_id)
