"""A month of a store's documents as one ZIP, built in the background with its progress. Pure.

An operator asks for a month (`YYYY-MM`, the store's calendar); the export is queued, then run by InvoiceExporter,
which counts what it packed so the operator can watch it; the ZIP holds every invoice and credit note PDF issued
in the month plus `index.csv` (one row per document, money in minor units).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as day_time
from enum import StrEnum
from zoneinfo import ZoneInfo

from nozzly.invoices.domain.documents import TaxDocument
from nozzly.kernel.domain.errors import InvalidInput

EXPORT_ID = re.compile(r"^exp_[0-9a-f]{16}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class ExportState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Export:
    store_id: str
    export_id: str
    month: str
    state: ExportState
    requested_by: str
    requested_at: int
    total: int = 0  # documents in the month (known once running)
    done: int = 0  # documents packed so far
    error: str | None = None


def new_export_id() -> str:
    return f"exp_{secrets.token_hex(8)}"


def month_days(month: str) -> tuple[date, date]:
    """The first and last day of a `YYYY-MM` month."""
    found = _MONTH.match(month)
    if found is None or not 1 <= int(found[2]) <= 12 or int(found[1]) < 2000:
        raise InvalidInput("a month as YYYY-MM, such as 2026-12", field="month")
    first = date(int(found[1]), int(found[2]), 1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def day_bounds(start: date, end: date, timezone: str) -> tuple[int, int]:
    """Epoch seconds from the start of `start` to the end of `end` in the store's time zone, both included."""
    zone = ZoneInfo(timezone)
    first = int(datetime.combine(start, day_time.min, zone).timestamp())
    last = int(datetime.combine(end + timedelta(days=1), day_time.min, zone).timestamp()) - 1
    return first, last


def index_row(doc: TaxDocument) -> list[str]:
    return [
        doc.number_text,
        doc.kind.value,
        doc.issue_date,
        doc.order_number,
        doc.refers_to or "",
        doc.currency,
        str(doc.net_total.amount),
        str(doc.tax_total.amount),
        str(doc.total.amount),
    ]


INDEX_HEADER = ["number", "kind", "issue_date", "order", "refers_to", "currency", "net", "tax", "total"]
