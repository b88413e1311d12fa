"""The business figures the operations dashboard charts (CloudWatch namespace Nozzly, through Powertools): orders
placed and their revenue, payments, refunds, and checkouts by outcome.

Figures are counted where a handler already sees the fact: the store events StoreActivity records (at least once:
a rare redelivery counts twice, fine for a chart and never used for money) and the checkout saga's last steps.
Amounts are minor units, one series per currency (a sum across currencies would mean nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    value: int = 1
    dimensions: Mapping[str, str] = field(default_factory=dict)


# detail-type: (the count's name, the amount's name or None)
_EVENT_FIGURES = {
    "OrderPlaced": ("OrdersPlaced", "Revenue"),
    "PaymentReceived": ("PaymentsReceived", "PaymentsAmount"),
    "OrderRefunded": ("RefundsIssued", "RefundedAmount"),
}


def event_figures(detail_type: str, detail: Mapping[str, Any]) -> list[Figure]:
    """The figures one store event adds: its count, and its amount in its currency when it has both."""
    names = _EVENT_FIGURES.get(detail_type)
    if names is None:
        return []
    count, amount_name = names
    figures = [Figure(count)]
    amount, currency = detail.get("amount"), detail.get("currency")
    if isinstance(amount, int) and not isinstance(amount, bool) and amount >= 0 and isinstance(currency, str):
        figures.append(Figure(amount_name, amount, {"currency": currency.upper()}))
    return figures


PLACED = "placed"


def checkout_outcome(step: str, error: Mapping[str, Any] | None) -> str | None:
    """How a checkout ended, from the saga step that ended it: `placed`, or `failed:<the failed state's error>`
    (`failed:PaymentFailed`, `failed:States.Timeout`; `failed:stranded` when the recovery sweep gave it up);
    None for the steps in between."""
    if step == "place_order":
        return PLACED
    if step == "abandon":
        name = str((error or {}).get("Error") or "stranded")
        return f"failed:{name[:64]}"
    return None


def checkout_figures(step: str, error: Mapping[str, Any] | None) -> list[Figure]:
    outcome = checkout_outcome(step, error)
    return [] if outcome is None else [Figure("Checkouts", 1, {"outcome": outcome})]
