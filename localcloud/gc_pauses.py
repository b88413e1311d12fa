"""Keeps the emulator's garbage collector from stopping every request for half a second.

CPython 3.11's collector is not incremental: a full collection (the oldest generation) walks every tracked object
while holding the GIL, and the emulator holds all of moto's state. Under `make load PROFILE=fifty` its full
collections came every 8 to 12 s and took 230 ms at 445,000 objects, growing to 650 ms at 1.2 million (one at the
start took 1.3 s); every request in flight waited for each, and they made the tail of every route.

So what is loaded when the emulator starts is frozen (`gc.freeze`: never walked again), and so are the survivors
of each full collection, so the next one walks only what arrived since. Garbage cycles among frozen objects are
not found that way; once the emulator has had no request for QUIET_S seconds after traffic, everything is
unfrozen, collected once and frozen again, where a pause delays nobody.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

QUIET_S = 5.0  # no request for this long: a full collection delays nobody
# Full collections since the last quiet one (each froze what survived it) that make another worth its pause. Counted,
# not measured: gc.get_freeze_count() walks the whole frozen list, 3 % of a core when asked every second.
SINCE = 3

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class Collector:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last_request = clock()
        self.full_after_quiet = _full_collections()
        self.quiet_collections = 0  # for the tests

    def install(self) -> None:
        gc.freeze()
        self.full_after_quiet = _full_collections()
        gc.callbacks.append(_freeze_after_full_collection)

    def counting(self, app: WsgiApp) -> WsgiApp:
        def counted(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            self.last_request = self.clock()
            return app(environ, start_response)

        return counted

    def collect_if_quiet(self) -> bool:
        """One full collection of everything, frozen or not, when the emulator is quiet and has frozen the survivors
        of SINCE full collections since the last; whether it ran."""
        if self.clock() - self.last_request < QUIET_S or _full_collections() - self.full_after_quiet < SINCE:
            return False
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        self.full_after_quiet = _full_collections()
        self.quiet_collections += 1
        return True

    def every(self, interval: float, stop: threading.Event) -> None:
        while not stop.wait(interval):
            self.collect_if_quiet()


def _full_collections() -> int:
    return int(gc.get_stats()[2]["collections"])


def _freeze_after_full_collection(phase: str, info: dict[str, int]) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()
