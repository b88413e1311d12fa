"""What the operator dashboard shows, and what counts as needing attention. Pure Python.

Orders need attention when they have waited too long: paid and not shipped after UNSHIPPED_AFTER_HOURS, cash on
delivery not yet collected after COD_UNPAID_AFTER_DAYS. The dashboard reads at most ATTENTION_SCAN of the oldest
orders in each open status, so a count of ATTENTION_SCAN means "at least that many" (`more` is set).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

from nozzly.analytics.domain.sales_figures import Comparison, DayFigures, ProductSales
from nozzly.orders.domain.order_search import OrderRow
from nozzly.orders.domain.orders import PaymentState

UNSHIPPED_AFTER_HOURS: Final = 24
COD_UNPAID_AFTER_DAYS: Final = 7
ATTENTION_SCAN: Final = 50  # oldest orders read per open status
SHOWN: Final = 5  # items shown per attention kind
TOP_SELLER_DAYS: Final = 30
CHART_DAYS: Final = 30


@dataclass(frozen=True, slots=True)
class AttentionItem:
    ref: str  # the order id, product slug or review key the item is about
    label: str
    at: int | None = None


@dataclass(frozen=True, slots=True)
class Attention:
    kind: str
    count: int
    more: bool  # the count is a floor: more exist than were read
    items: tuple[AttentionItem, ...]
    link: str  # the API list that shows them all


@dataclass(frozen=True, slots=True)
class Activity:
    at: int
    kind: str
    text: str
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class Customers:
    total: int
    new_this_week: int
    new_this_month: int


@dataclass(frozen=True, slots=True)
class DashboardView:
    store_id: str
    currency: str
    timezone: str
    today: date
    pipeline: dict[str, int]
    attention: tuple[Attention, ...]
    customers: Customers
    recent_activity: tuple[Activity, ...]
    # None when the caller's role may not read revenue (reports.read)
    revenue: dict[str, Comparison] | None = None
    top_by_units: tuple[ProductSales, ...] | None = None
    top_by_revenue: tuple[ProductSales, ...] | None = None
    chart: tuple[DayFigures, ...] | None = None
    titles: dict[str, str] = field(default_factory=dict)  # product slug -> title, for the products shown


def _order_item(row: OrderRow, why: str) -> AttentionItem:
    return AttentionItem(ref=row.order_id, label=f"Order #{row.number} ({row.email}) {why}", at=row.created_at)


def overdue_orders(store_id: str, waiting: list[OrderRow], now: int, *, scanned_full: bool) -> list[Attention]:
    """Paid-but-unshipped and unpaid cash orders among the oldest open orders read (`waiting`, oldest first).

    `scanned_full`: some status returned ATTENTION_SCAN rows, so there may be more than counted.
    """
    unshipped_before = now - UNSHIPPED_AFTER_HOURS * 3600
    unpaid_before = now - COD_UNPAID_AFTER_DAYS * 86400
    unshipped = [r for r in waiting if r.payment_state is PaymentState.PAID and r.created_at < unshipped_before]
    unpaid = [r for r in waiting if r.payment_state is PaymentState.AWAITING and r.created_at < unpaid_before]
    orders = f"/admin/stores/{store_id}/orders"
    return [
        Attention(
            kind="orders_unshipped",
            count=len(unshipped),
            more=scanned_full,
            items=tuple(
                _order_item(r, f"paid, not shipped after {UNSHIPPED_AFTER_HOURS} h") for r in unshipped[:SHOWN]
            ),
            link=f"{orders}?status=processing&payment_state=paid",
        ),
        Attention(
            kind="cash_orders_unpaid",
            count=len(unpaid),
            more=scanned_full,
            items=tuple(
                _order_item(r, f"cash not collected after {COD_UNPAID_AFTER_DAYS} days") for r in unpaid[:SHOWN]
            ),
            link=f"{orders}?payment_state=awaiting_payment",
        ),
    ]
