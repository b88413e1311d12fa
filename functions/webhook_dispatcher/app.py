"""Bus events integrators may subscribe to: one delivery per interested endpoint, recorded and enqueued once."""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry, logger
from nozzly.wiring import webhooks


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    enqueued = webhooks.dispatcher().dispatch(event)
    logger.info("webhook deliveries enqueued", extra={"detail_type": event.get("detail-type"), "enqueued": enqueued})
    return {"enqueued": enqueued}
