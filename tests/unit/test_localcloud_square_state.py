"""The local Square sandbox keeps its memory between `make run`s (localcloud/payments/peer_state.keep_square): a
sandbox started again over the same state folder knows the payments, replays idempotent answers, accepts the
OAuth grants of connected stores and still sends the notification the stop interrupted."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from localcloud.payments.peer_state import keep_square
from localcloud.payments.square_oauth_peer import OAuthServer
from localcloud.payments.square_payments import Sandbox

TOKEN, KEY = "EAAA-platform", "signature-key"
NOWHERE = "http://127.0.0.1:9/webhooks/square"  # the discard port: every delivery fails and is retried
PAYMENT = {
    "idempotency_key": "pay-1",
    "source_id": "cnon:card-nonce-ok",
    "amount_money": {"amount": 1500, "currency": "EUR"},
}


def _square() -> tuple[Sandbox, OAuthServer]:
    return Sandbox(TOKEN, KEY, NOWHERE), OAuthServer("app-id", "app-secret")


def _grant(oauth: OAuthServer) -> str:
    code = oauth.authorize("client_id=app-id&redirect_uri=https://console.test/square&state=s").split("code=")[1]
    body = {"client_id": "app-id", "client_secret": "app-secret", "grant_type": "authorization_code"}
    granted = oauth.token(body | {"code": code.split("&")[0], "redirect_uri": "https://console.test/square"})
    return str(granted["access_token"])


def test_a_restarted_sandbox_knows_its_payments_grants_and_undelivered_notifications(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOZZLY_PERSIST", "1")
    monkeypatch.setenv("NOZZLY_STATE_DIR", str(tmp_path))
    sandbox, oauth = _square()
    kept = keep_square(sandbox, oauth)
    assert kept is not None
    status, paid = sandbox.idempotent("payments", PAYMENT, sandbox.create_payment)
    assert status == 200
    payment = paid["payment"]["id"]
    access = _grant(oauth)
    [event] = list(sandbox.notifications.pending)  # payment.updated, still being retried
    assert kept.save() is True

    again, again_oauth = _square()
    assert keep_square(again, again_oauth) is not None

    assert again.get_payment(payment)["payment"]["status"] == "COMPLETED"
    assert again.idempotent("payments", PAYMENT, again.create_payment) == (status, paid)  # replayed, not charged
    assert len(again.payments) == 1
    assert again_oauth.merchant(f"Bearer {access}") == oauth.merchant(f"Bearer {access}") is not None
    assert event in again.notifications.pending  # sent again by the new sandbox, as it starts
    deadline = time.monotonic() + 5
    while event not in [d["event_id"] for d in again.deliveries if d["status"]] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert event in [d["event_id"] for d in again.deliveries if d["status"] == "unreachable"]


def test_without_make_run_the_sandbox_keeps_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOZZLY_PERSIST", "0")
    monkeypatch.setenv("NOZZLY_STATE_DIR", str(tmp_path))
    assert keep_square(*_square()) is None
    assert list(tmp_path.iterdir()) == []
