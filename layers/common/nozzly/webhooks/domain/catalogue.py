"""The events an integrator may subscribe to, and the bus detail-types they come from.

Only Nozzly writes to the bus, so a detail-type alone names the event. CustomerCreated is published when a
store's shopper confirms their account. Product events come from every change of a product: catalog admin's
create, update, a variant's change, delete, restore (product.updated, `deleted` false) and bulk status (one
event per product changed), the product import and the research bulk import (product.created) and the catalog
import (product.created, or product.updated when a re-import changed it).
"""

from __future__ import annotations

from typing import Final

API_VERSION: Final = "2026-12-01"

# webhook type -> bus detail-type
EVENT_TYPES: Final[dict[str, str]] = {
    "order.placed": "OrderPlaced",
    "order.paid": "PaymentReceived",
    "order.shipped": "ShipmentCreated",
    "order.delivered": "OrderDelivered",
    "order.cancelled": "OrderCancelled",
    "order.refunded": "OrderRefunded",
    "product.created": "ProductCreated",
    "product.updated": "ProductUpdated",
    "product.deleted": "ProductDeleted",
    "stock.low": "LowStock",
    "customer.created": "CustomerCreated",
}
# Published on the bus today (template.yaml's rules); the others are accepted but not yet produced.
ON_THE_BUS: Final[frozenset[str]] = frozenset(
    {
        "OrderPlaced",
        "PaymentReceived",
        "ShipmentCreated",
        "OrderDelivered",
        "OrderCancelled",
        "OrderRefunded",
        "LowStock",
        "ProductCreated",
        "ProductUpdated",
        "ProductDeleted",
    }
)
TEST_EVENT: Final = "webhook.test"
_BY_DETAIL_TYPE: Final[dict[str, str]] = {v: k for k, v in EVENT_TYPES.items()}


def event_type_of(detail_type: str) -> str | None:
    """The webhook type for a bus detail-type, or None when integrators cannot subscribe to it."""
    return _BY_DETAIL_TYPE.get(detail_type)


def unknown_types(types: list[str]) -> list[str]:
    return [t for t in types if t not in EVENT_TYPES]
