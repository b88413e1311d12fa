"""A store's Stripe onboarding finished against the local Stripe peer, as its owner would finish it: the payouts
route creates the connected account and its link, the peer's control route completes it and sends the signed
`account.updated`, and the payouts route then says the store may take card payments.

Used by the demo seeding (localcloud.seed) and the e2e stores (tests/e2e/shop.py).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

from localcloud.payments import config

RETURN_URL = "http://127.0.0.1/payouts/done"  # the local admin has no page for it; Stripe only needs an URL


def _call(url: str, method: str = "GET", body: Any = None, token: str | None = None) -> tuple[int, Any]:
    headers = {"content-type": "application/json"} | ({"authorization": f"Bearer {token}"} if token else {})
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def onboard_to_ready(api_url: str, token: str, store_id: str, *, timeout: float = 30) -> str:
    """The store's connected account id, once the payouts route answers it ready (RuntimeError otherwise)."""
    route = f"{api_url}/admin/stores/{store_id}/settings/payouts"
    urls = {"return_url": RETURN_URL, "refresh_url": RETURN_URL}
    status, started = _call(f"{route}/stripe/onboarding", "POST", urls, token)
    if status != 200:
        raise RuntimeError(f"starting Stripe onboarding of {store_id} answered {status}: {started}")
    account_id = str(started["account"]["account_id"])
    status, done = _call(f"{config.stripe_url()}/_nozzly/accounts/{account_id}/complete", "POST", {})
    if status != 200:
        raise RuntimeError(f"the Stripe peer did not complete {account_id}: {status} {done}")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, payouts = _call(route, token=token)
        if status == 200 and payouts["card_payments"]["ready"]:
            return account_id
        time.sleep(0.2)
    raise RuntimeError(f"{store_id}'s payouts were not ready {timeout} s after onboarding: {payouts}")


def log_in(api_url: str, email: str, password: str) -> str:
    status, body = _call(f"{api_url}/auth/login", "POST", {"email": email, "password": password})
    if status != 200:
        raise RuntimeError(f"logging in {email} answered {status}: {body}")
    return str(body["access_token"])
