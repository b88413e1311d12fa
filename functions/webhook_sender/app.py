"""Queued webhook attempts: one POST each; a message whose handling raised is reported back to SQS alone."""

from __future__ import annotations

import json
from typing import Any

from nozzly.observability import lambda_entry, logger
from nozzly.wiring import webhooks


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
    failures: list[dict[str, str]] = []
    for record in event.get("Records", []):
        try:
            message = json.loads(record["body"])
            webhooks.sender().handle(
                message["store"], message["endpoint"], message["delivery"], int(message.get("attempt", 0))
            )
        except Exception:
            # An attempt's own failure (the receiver said no) is recorded, not raised: this is ours (DynamoDB,
            # SQS) and SQS shows the message again after its visibility timeout.
            logger.exception("webhook attempt could not be handled", extra={"message_id": record.get("messageId")})
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
