"""Work moto's server repeats on every request to find the code that answers it, done once.

moto 5.2.5 does two lookups per request whose answers never change while the emulator runs:

- The dispatcher asks which backend a host belongs to, under its one lock. For an AWS host that lists moto's
  package folder (a stat of each of its ~200 entries) and then tries its URL patterns in turn. The answer is
  a function of the host alone (the folder and the patterns are fixed once moto is loaded), so it is kept
  per host. A host no backend claims is not kept: moto then infers the service from the request, as before.
- Each handler lists its class's methods with `inspect.getmembers` to see whether the action is one of them.
  A class's method names are fixed once moto and the local cloud's patches (installed before the emulator
  serves) are loaded, so they are kept per class.

tests/functional/test_localcloud_moto_dispatch.py checks that answers are moto's own and counts the lookups.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

PINNED_MOTO = "5.2.5"  # the server these names come from; another version is left alone


def _backend_per_host() -> Callable[[], None]:
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.__dict__["get_backend_for_host"]
    kept: dict[str, Any] = {}
    guard = threading.Lock()

    @functools.wraps(original)
    def get_backend_for_host(self: Any, host: str | None) -> Any:
        if host is None:
            return None
        with guard:
            if host in kept:
                return kept[host]
        backend = original(self, host)
        if backend:  # a miss makes moto look at the request instead: asked again each time, as before
            with guard:
                kept[host] = backend
        return backend

    DomainDispatcherApplication.get_backend_for_host = get_backend_for_host
    return lambda: setattr(DomainDispatcherApplication, "get_backend_for_host", original)


def _method_names_per_class() -> Callable[[], None]:
    from moto.core import responses

    original = responses.method_names_from_class
    kept: dict[type, frozenset[str]] = {}

    @functools.wraps(original)
    def method_names_from_class(clazz: Any) -> frozenset[str]:
        names = kept.get(clazz)
        if names is None:
            names = kept[clazz] = frozenset(original(clazz))
        return names

    responses.method_names_from_class = method_names_from_class
    return lambda: setattr(responses, "method_names_from_class", original)


def install() -> Callable[[], None] | None:
    """Keep the backend per host and the method names per handler class. Returns the undo; None (moto left
    alone) for another moto."""
    import moto

    if moto.__version__ != PINNED_MOTO:
        return None
    undos = [_backend_per_host(), _method_names_per_class()]

    def undo() -> None:
        for each in reversed(undos):
            each()

    return undo
