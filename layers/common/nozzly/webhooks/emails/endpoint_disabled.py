"""What the owner's email about a disabled webhook endpoint says (template webhook_disabled)."""

from __future__ import annotations

from typing import Any

from nozzly.messaging.emails.branding import named
from nozzly.webhooks.domain.endpoints import Endpoint


def endpoint_disabled(endpoint: Endpoint, store_name: str) -> dict[str, Any]:
    return {
        "subject": f"Webhook endpoint disabled at {store_name}",
        "brand": named("Nozzly"),
        "store": {"id": endpoint.store_id, "name": store_name},
        "endpoint": {"id": endpoint.endpoint_id, "url": endpoint.url, "reason": endpoint.disabled_reason},
    }
