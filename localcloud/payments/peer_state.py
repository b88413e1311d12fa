"""A payment peer's memory kept between `make run`s, beside the emulator's (localcloud/persistence.py).

Without it a restored stack would name Stripe accounts, payment intents and checkout sessions the peer never
heard of: the demo store could no longer take a card. The peer's state is small, so it is pickled whole when
the peer stops and every SAVE_INTERVAL seconds when it differs from the last save. A file written by another
version of the peer's library, or one that does not load, is moved aside with one log line.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from localcloud.persistence import SAVE_INTERVAL, state_dir

log = logging.getLogger("localcloud.payments.peer_state")
FORMAT = 1


class KeptState:
    def __init__(self, path: Path, version: str, read: Callable[[], Any], put_back: Callable[[Any], None]) -> None:
        self.path = path
        self.header = {"format": FORMAT, "version": version}
        self.read = read
        self.put_back = put_back
        self.last: bytes = b""

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
        data = pickle.dumps((self.header, self.read()), protocol=pickle.HIGHEST_PROTOCOL)
        if data == self.last:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        partial.write_bytes(data)
        os.replace(partial, self.path)
        self.last = data
        return True


def keep(
    app: web.Application, name: str, version: str, read: Callable[[], Any], put_back: Callable[[Any], None]
) -> None:
    """Restore the peer's state now and save it periodically and on shutdown, when `make run` keeps state."""
    folder = state_dir()
    if folder is None:
        return
    kept = KeptState(folder / f"{name}.pickle", version, read, put_back)
    if kept.restore():
        print(f"{name} peer: state restored from {kept.path}", flush=True)

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


def keep_stripe(app: web.Application, peer: Any) -> None:
    """The Stripe peer's memory: localstripe's objects, connected accounts, checkout sessions, idempotent answers."""
    from importlib.metadata import version

    from localstripe import resources

    from localcloud.payments import stripe_connect_peer as connect

    def memory() -> dict[str, Any]:
        return {
            "store": dict(resources.store),
            "accounts": dict(connect.ACCOUNTS),
            "sessions": peer.sessions,
            "idempotency": peer.idempotency,
        }

    def remember(saved: dict[str, Any]) -> None:
        dict.update(resources.store, saved["store"])  # dict's own update: localstripe's writes /tmp on every key
        connect.ACCOUNTS.update(saved["accounts"])
        peer.sessions.update(saved["sessions"])
        peer.idempotency.update(saved["idempotency"])

    keep(app, "stripe", version("localstripe"), memory, remember)
