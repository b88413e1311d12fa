"""Issues invoices and credit notes, reached by an EventBridge rule: PaymentReceived issues the order's invoice,
OrderRefunded the refund's credit note. Idempotent on the order (and refund), so a redelivery issues nothing twice;
see invoices/services/issuing.py."""

from __future__ import annotations

from typing import Any

from nozzly.observability import lambda_entry
from nozzly.wiring import invoices


@lambda_entry
def handler(event: dict[str, Any], context: Any) -> dict[str, str | None]:
    issued = invoices.issuing().on_event(event)
    return {"number": issued.number_text if issued is not None else None}
