"""The confirmation email's link to the page where the shopper follows the order live."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.orders.emails.order_confirmation import follow_url

SHOP = {"storefront_url": "https://shop.example/shop/acme"}


@pytest.mark.parametrize(
    ("order", "branding", "expected"),
    [
        (
            {"order_id": "ab12", "customer": "sub-1", "channel": "web"},
            SHOP,
            "https://shop.example/shop/acme/account/orders/ab12",
        ),
        ({"order_id": "ab12", "channel": "web"}, SHOP, "https://shop.example/shop/acme/checkout/ab12"),
        ({"order_id": "ab12", "channel": "manual"}, SHOP, None),  # a guest's phone order has no page
        ({"order_id": "ab12", "channel": "web"}, {"storefront_url": None}, None),
    ],
)
def test_a_shopper_gets_their_order_page_a_guest_their_confirmation_page(
    order: dict[str, Any], branding: dict[str, Any], expected: str | None
) -> None:
    assert follow_url(order, branding) == expected
