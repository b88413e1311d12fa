"""A payment peer's memory kept between `make run`s, beside the emulator's (localcloud/persistence.py).

Without it a restored stack would name Stripe accounts, payment intents, checkout sessions, subscriptions or Square
payments the peers never heard of: the demo store could no longer take a card, refund one or bill its owner. A
peer's state is small, so it is pickled whole when the peer stops and every SAVE_INTERVAL seconds when it differs
from the last save. A file written by another version of the peer, or one that does not load, is moved aside
with one log line.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from localcloud.persistence import SAVE_INTERVAL, state_dir

log = logging.getLogger("localcloud.payments.peer_state")
FORMAT = 1
SQUARE_SANDBOX_VERSION = "1"  # bump when what the Square sandbox keeps changes shape
BILLING_STATE = ("products", "prices", "sessions", "subscriptions", "invoices", "portals")  # BillingPeer's


class KeptState:
    def __init__(self, path: Path, version: str, read: Callable[[], Any], put_back: Callable[[Any], None]) -> None:
        self.path = path
        self.header = {"format": FORMAT, "version": version}
        self.read = read
        self.put_back = put_back
        self.last: bytes = b""
        self._lock = threading.Lock()  # the periodic save and the last one may meet

    def restore(self) -> bool:
        if not self.path.exists():
            return False
        try:
            header, state = pickle.loads(self.path.read_bytes())
            if header != self.header:
                raise ValueError(f"written by {header}, this is {self.header}")
            self.put_back(state)
        except Exception as error:  # a torn or foreign file: nothing of it is trusted
            aside = self.path.with_name(self.path.name + ".discarded")
            os.replace(self.path, aside)
            log.warning("payment peer state: discarding %s (%s); starting empty (kept as %s)", self.path, error, aside)
            return False
        self.last = self.path.read_bytes()
        return True

    def save(self) -> bool:
        """Write the state if it changed since the last save; whether it wrote."""
        with self._lock:
            data = pickle.dumps((self.header, self.read()), protocol=pickle.HIGHEST_PROTOCOL)
            if data == self.last:
                return False
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_suffix(".partial")
            partial.write_bytes(data)
            os.replace(partial, self.path)
            self.last = data
            return True


def _restored(name: str, read: Callable[[], Any], put_back: Callable[[Any], None], version: str) -> KeptState | None:
    folder = state_dir()
    if folder is None:
        return None
    kept = KeptState(folder / f"{name}.pickle", version, read, put_back)
    if kept.restore():
        print(f"{name} peer: state restored from {kept.path}", flush=True)
    return kept


def keep(
    app: web.Application, name: str, version: str, read: Callable[[], Any], put_back: Callable[[Any], None]
) -> None:
    """Restore an aiohttp peer's state now and save it periodically and on shutdown, when `make run` keeps state."""
    kept = _restored(name, read, put_back, version)
    if kept is None:
        return

    async def periodically(_: web.Application) -> Any:
        async def loop() -> None:
            while True:
                await asyncio.sleep(SAVE_INTERVAL)
                kept.save()

        task = asyncio.create_task(loop())
        yield
        task.cancel()
        kept.save()

    app.cleanup_ctx.append(periodically)


def keep_in_thread(
    name: str, version: str, read: Callable[[], Any], put_back: Callable[[Any], None]
) -> KeptState | None:
    """Restore a threaded peer's state now and save it periodically; the caller saves once more as it stops."""
    kept = _restored(name, read, put_back, version)
    if kept is None:
        return None

    def periodically() -> None:
        while True:
            time.sleep(SAVE_INTERVAL)
            kept.save()

    threading.Thread(target=periodically, daemon=True).start()
    return kept


def keep_square(sandbox: Any, oauth: Any) -> KeptState | None:
    """The Square sandbox's memory: payments, refunds, idempotent answers, notifications not yet delivered, and
    the OAuth grants of stores that connected their own Square account."""

    def memory() -> dict[str, Any]:
        return {"sandbox": sandbox.memory(), "oauth": oauth.memory()}

    def remember(saved: dict[str, Any]) -> None:
        sandbox.remember(saved["sandbox"])
        oauth.remember(saved["oauth"])

    return keep_in_thread("square", SQUARE_SANDBOX_VERSION, memory, remember)


def keep_stripe(app: web.Application, peer: Any, billing: Any) -> None:
    """The Stripe peer's memory: localstripe's objects, connected accounts, checkout sessions, idempotent answers,
    and Stripe Billing's products, prices, subscriptions, invoices and sessions."""
    from importlib.metadata import version

    from localstripe import resources

    from localcloud.payments import stripe_connect_peer as connect

    def memory() -> dict[str, Any]:
        return {
            "store": dict(resources.store),
            "accounts": dict(connect.ACCOUNTS),
            "sessions": peer.checkout.sessions,
            "idempotency": peer.idempotency,
            "billing": {name: getattr(billing, name) for name in BILLING_STATE},
        }

    def remember(saved: dict[str, Any]) -> None:
        dict.update(resources.store, saved["store"])  # dict's own update: localstripe's writes /tmp on every key
        connect.ACCOUNTS.update(saved["accounts"])
        peer.checkout.sessions.update(saved["sessions"])
        peer.idempotency.update(saved["idempotency"])
        for name, objects in saved.get("billing", {}).items():  # a file from before billing was kept has none
            getattr(billing, name).update(objects)

    keep(app, "stripe", version("localstripe"), memory, remember)
