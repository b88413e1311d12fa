"""A WSGI application served on a free loopback port by the emulator's keep-alive handler, for one test."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from moto.moto_server.werkzeug_app import MotoRequestHandler
from werkzeug.serving import BaseWSGIServer, make_server

from localcloud.keepalive_wsgi import keep_alive

App = Callable[[dict[str, Any], Callable[..., Any]], Any]


@contextmanager
def serving(app: App) -> Iterator[BaseWSGIServer]:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=keep_alive(MotoRequestHandler))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
