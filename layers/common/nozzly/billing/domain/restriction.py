"""Which requests a restricted account is refused: its stores' administration writes, except what serves
shoppers who already bought (fulfilling, changing an order's status, refunding, marking paid) and what only
reads or marks the caller's own things (notifications read, invoice exports, email previews).

Billing routes (`/billing/...`) are not store routes, so they always work: paying is how a restriction ends.
Storefront and shopper routes are not `/admin/`, so shoppers never notice.
"""

from __future__ import annotations

import re
from typing import Final

from nozzly.kernel.domain.errors import PaymentRequired

WRITES: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_STORE_ROUTE: Final = re.compile(r"^/admin/stores/(?P<store>[a-z0-9-]+)(?P<rest>/.*)?$")
_ALLOWED: Final = re.compile(
    r"^/(orders/[^/]+/(fulfilments(/[^/]+)?|status|refunds|mark-paid)"
    r"|notifications/(read-all|[^/]+/read)"
    r"|invoices/exports"
    r"|email-flows/[^/]+/preview)/?$"
)


class AccountRestricted(PaymentRequired):
    """402: the store's account is restricted (trial over without a plan, or unpaid after the grace period)."""

    code = "account_restricted"

    def __init__(self, store_id: str) -> None:
        super().__init__(
            f"the account that owns store {store_id!r} is restricted until it pays: its stores keep selling, "
            "but their administration is read-only (POST /billing/checkout or /billing/portal)",
            field="billing",
        )


def restricted_store(method: str, path: str) -> str | None:
    """The store whose account must be working for this request to run; None: any account may make it."""
    if method.upper() not in WRITES:
        return None
    found = _STORE_ROUTE.match(path)
    if found is None or _ALLOWED.match(found["rest"] or ""):
        return None
    return found["store"]
