"""Square's signed webhook notifications from the local sandbox, delivered with retries.

Signed as Square signs them: x-square-hmacsha256-signature = base64(HMAC-SHA256(signature key, notification URL +
body)). A delivery that fails is retried (Square retries for a day; here for a few seconds), and one not yet
delivered when the sandbox stops is kept with its state and sent after the next start.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import queue
import threading
import time
import urllib.error
import urllib.request
from typing import Any

RETRY_DELAYS = (0, 1, 2, 4)


class Notifications:
    def __init__(self, signature_key: str, notification_url: str) -> None:
        self.key, self.url = signature_key, notification_url
        self.deliveries: list[dict[str, Any]] = []  # what was posted, for people and tests
        self.pending: dict[str, dict[str, Any]] = {}  # event id -> event, until delivered or given up
        self.outbox: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._deliver_forever, daemon=True).start()

    def send(self, event: dict[str, Any]) -> None:
        self.pending[event["event_id"]] = event
        self.outbox.put(event)

    def sign(self, body: str) -> str:
        digest = hmac.new(self.key.encode(), (self.url + body).encode(), hashlib.sha256).digest()
        return base64.b64encode(digest).decode()

    def memory(self) -> dict[str, Any]:
        return {"deliveries": list(self.deliveries), "pending": dict(self.pending)}

    def remember(self, saved: dict[str, Any]) -> None:
        self.deliveries.extend(saved["deliveries"])
        for event in saved["pending"].values():
            self.send(event)

    def _deliver_forever(self) -> None:
        while True:
            event = self.outbox.get()
            body = json.dumps(event)
            record = {"event_id": event["event_id"], "type": event["type"], "status": None}
            self.deliveries.append(record)
            for delay in RETRY_DELAYS:
                time.sleep(delay)
                record["status"] = self._post(body)
                if record["status"] == 200:
                    break
            self.pending.pop(event["event_id"], None)

    def _post(self, body: str) -> int | str:
        request = urllib.request.Request(
            self.url,
            data=body.encode(),
            method="POST",
            headers={
                "content-type": "application/json",
                "x-square-hmacsha256-signature": self.sign(body),
                "square-version": "2026-09-16",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as failed:
            return int(failed.code)
        except OSError:
            return "unreachable"
