"""The local outbox: every email the functions sent through SES, readable by a person.

The emulator's SES keeps sent messages in memory; this WSGI wrapper serves them next to moto's
own API, so `GET <emulator>/_localcloud/outbox` (and the gateway's `/_local/outbox`) lists them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

PATH = "/_localcloud/outbox"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def sent_messages(to: str | None = None) -> list[dict[str, Any]]:
    """Oldest first, across accounts and regions; optionally only those addressed to `to`."""
    from moto.ses.models import ses_backends

    messages = []
    for account in ses_backends.values():
        for backend in account.values():
            for message in getattr(backend, "sent_messages", []):
                recipients = [a for addresses in getattr(message, "destinations", {}).values() for a in addresses]
                if to and to.lower() not in (r.lower() for r in recipients):
                    continue
                messages.append(
                    {
                        "id": message.id,
                        "from": message.source,
                        "to": recipients,
                        "subject": getattr(message, "subject", ""),
                        "body": getattr(message, "body", getattr(message, "raw_data", "")),
                    }
                )
    return messages


def with_outbox(app: WsgiApp) -> WsgiApp:
    def outbox_app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH:
            return app(environ, start_response)
        to = parse_qs(environ.get("QUERY_STRING", "")).get("to", [None])[0]
        body = json.dumps({"messages": sent_messages(to)}).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    return outbox_app
