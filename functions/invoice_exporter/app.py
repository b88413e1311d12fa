"""Month exports of invoices and credit notes, from their queue (one message per export): the ZIP is built with its
progress recorded; an export whose building raised is marked failed and its message reported back to SQS, which
shows it again (a later attempt may still finish it). See invoices/services/exports.py."""

from __future__ import annotations

import json
from typing import Any

from nozzly.observability import lambda_entry, logger
from nozzly.wiring import invoices


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
    failures: list[dict[str, str]] = []
    for record in event.get("Records", []):
        message = json.loads(record["body"])
        try:
            invoices.exports().run(message["store"], message["export"])
        except Exception:
            logger.exception("invoice export failed", extra={"message_id": record.get("messageId")})
            invoices.exports().failed(message["store"], message["export"], "the export could not be built")
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
