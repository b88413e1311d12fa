"""The demo store's owner: an operator account made the way anyone makes one, over the HTTP API.

Sign-up, the 6-digit code from the local outbox, confirmation. The catalog import then names this
account as the store's owner (store.owner_email in the demo document).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

EMAIL = "owner@mystmereforge.test"
PASSWORD = "Mystmere-Forge-2026"  # local demo only; the README names it
_CODE = re.compile(r"\b(\d{6})\b")


def _call(url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def ensure_demo_owner(api_url: str) -> None:
    status, body = _call(f"{api_url}/auth/signup", {"email": EMAIL, "password": PASSWORD, "name": "Demo Owner"})
    if status != 202:
        raise RuntimeError(f"signing up the demo owner answered {status}: {body}")
    _, outbox = _call(f"{api_url}/_local/outbox?to={EMAIL}")
    codes = _CODE.findall(outbox["messages"][-1]["body"]) if outbox["messages"] else []
    if not codes:
        return  # the account existed already: sign-up sent a notice, not a code
    status, body = _call(f"{api_url}/auth/confirm", {"email": EMAIL, "code": codes[0]})
    if status not in (200, 204):
        raise RuntimeError(f"confirming the demo owner answered {status}: {body}")


def ensure_demo_payouts(api_url: str, store_id: str) -> str:
    """The demo store's Stripe connected account, onboarded to ready at the local Stripe peer by its owner."""
    from localcloud.payments.onboarding import log_in, onboard_to_ready

    return onboard_to_ready(api_url, log_in(api_url, EMAIL, PASSWORD), store_id)
