"""Standard Webhooks headers for one attempt, signed with the spec's own library (pure, stdlib-only)."""

from __future__ import annotations

from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook


def signed_headers(secret: str, webhook_id: str, body: bytes, now: datetime | None = None) -> dict[str, str]:
    """`webhook-id` stays the same on every retry; the timestamp and signature are those of this attempt."""
    at = (now or datetime.now(UTC)).replace(microsecond=0)
    return {
        "content-type": "application/json",
        "user-agent": "Nozzly-Webhooks/1",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, at, body),
    }
