"""What a shop owner would pay AWS for what the local cloud counted: the list prices, in one place, and the sums.

Prices are AWS's public on-demand list prices for us-east-1 (checked 2026-12; first pricing tier, no free tier),
in US dollars. The counts come from the local cloud's meters (localcloud/metering.py): Lambda requests and
billed duration at each function's template memory, API Gateway HTTP API requests, DynamoDB read and write
request units (transactions count twice, as DynamoDB bills them), Step Functions state transitions,
EventBridge events and SES emails. Durations measured on a laptop running the emulator too are longer than on
Lambda, so the Lambda line is an upper bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

PRICES: dict[str, Decimal] = {
    "lambda_request": Decimal("0.20") / 1_000_000,  # per request
    "lambda_gb_second": Decimal("0.0000166667"),  # x86_64, per GB-second
    "http_api_request": Decimal("1.00") / 1_000_000,  # API Gateway HTTP API, first 300 million a month
    "dynamodb_write_unit": Decimal("0.625") / 1_000_000,  # on-demand write request unit
    "dynamodb_read_unit": Decimal("0.125") / 1_000_000,  # on-demand read request unit
    "sfn_transition": Decimal("0.025") / 1_000,  # Step Functions Standard, per state transition
    "eventbridge_event": Decimal("1.00") / 1_000_000,  # custom events put on a bus (64 KB chunks)
    "ses_email": Decimal("0.10") / 1_000,  # outbound email
}


@dataclass
class Usage:
    """Counted calls. lambda_ms: billed milliseconds per function; memory_mb: each function's memory."""

    lambda_requests: dict[str, int] = field(default_factory=dict)
    lambda_ms: dict[str, float] = field(default_factory=dict)
    memory_mb: dict[str, int] = field(default_factory=dict)
    http_requests: int = 0
    read_units: float = 0.0
    write_units: float = 0.0
    transitions: int = 0
    events: int = 0
    emails: int = 0

    def gb_seconds(self) -> Decimal:
        return sum(
            (
                Decimal(math.ceil(ms)) / 1000 * Decimal(self.memory_mb.get(name, 128)) / 1024
                for name, ms in self.lambda_ms.items()
            ),
            Decimal(0),
        )


def line_items(usage: Usage) -> dict[str, Decimal]:
    """Dollars per service line."""
    return {
        "Lambda requests": sum(usage.lambda_requests.values()) * PRICES["lambda_request"],
        "Lambda GB-seconds": usage.gb_seconds() * PRICES["lambda_gb_second"],
        "API Gateway (HTTP API)": usage.http_requests * PRICES["http_api_request"],
        "DynamoDB writes": Decimal(str(usage.write_units)) * PRICES["dynamodb_write_unit"],
        "DynamoDB reads": Decimal(str(usage.read_units)) * PRICES["dynamodb_read_unit"],
        "Step Functions": usage.transitions * PRICES["sfn_transition"],
        "EventBridge": usage.events * PRICES["eventbridge_event"],
        "SES": usage.emails * PRICES["ses_email"],
    }


def total(usage: Usage) -> Decimal:
    return sum(line_items(usage).values(), Decimal(0))


# ---- DynamoDB request units, from items in DynamoDB JSON
def _value_bytes(value: dict[str, Any]) -> int:  # noqa: PLR0911 - one return per DynamoDB type
    """A value's size as DynamoDB counts it (strings and binary by length, numbers about 1 byte per 2 digits)."""
    kind, inner = next(iter(value.items()))
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return len(inner.strip("-").replace(".", "").lstrip("0")) // 2 + 1
    if kind == "B":
        return len(inner) * 3 // 4  # base64 on the wire
    if kind in ("BOOL", "NULL"):
        return 1
    if kind in ("SS", "NS", "BS"):
        return sum(_value_bytes({kind[0]: member}) for member in inner)
    if kind == "L":
        return 3 + sum(1 + _value_bytes(member) for member in inner)
    if kind == "M":
        return 3 + sum(1 + len(name.encode()) + _value_bytes(member) for name, member in inner.items())
    return 0


def item_bytes(item: dict[str, Any] | None) -> int:
    """An item's size: its attribute names and values."""
    return sum(len(name.encode()) + _value_bytes(value) for name, value in (item or {}).items())


def read_units(total_bytes: int, *, consistent: bool, transactional: bool = False) -> float:
    """One unit per 4 KB read (at least one); eventually consistent halves it, a transaction doubles it."""
    units = max(1, math.ceil(total_bytes / 4096))
    if transactional:
        return 2.0 * units
    return float(units) if consistent else units / 2


def write_units(item_size: int, *, transactional: bool = False) -> float:
    """One unit per 1 KB written (at least one); a transaction doubles it."""
    units = max(1, math.ceil(item_size / 1024))
    return float(units * (2 if transactional else 1))
