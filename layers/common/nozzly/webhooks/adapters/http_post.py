"""One POST to an endpoint, to the address already checked, never following a redirect (a 3xx is a failed
attempt, not a new target). The pinned connection is the kernel's (`kernel/adapters/pinned_http.py`)."""

from __future__ import annotations

import http.client
import time
from dataclasses import dataclass
from typing import Final

from nozzly.kernel.adapters.pinned_http import connection, request_target

TIMEOUT_SECONDS: Final = 10.0


@dataclass(frozen=True, slots=True)
class Outcome:
    status: int | None
    latency_ms: int
    error: str


def post(url: str, address: str, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT_SECONDS) -> Outcome:
    pinned = connection(url, address, timeout)
    started = time.monotonic()
    try:
        pinned.request("POST", request_target(url), body=body, headers=headers)
        response = pinned.getresponse()
        response.read(64 * 1024)  # drained, not kept: a receiver's answer is not ours to store
        status = response.status
    except (OSError, http.client.HTTPException) as failure:
        return Outcome(None, _since(started), f"{type(failure).__name__}: {failure}"[:300])
    finally:
        pinned.close()
    return Outcome(status, _since(started), "" if 200 <= status < 300 else f"HTTP {status}")


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
