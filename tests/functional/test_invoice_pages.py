"""A shopper's invoice from the shop's order page: a link once the order is paid, the PDF through a short-lived
redirect, and the order page saying why while there is none yet."""

from __future__ import annotations

import pytest

from tests.functional.harness import STORE, Cloud
from tests.functional.order_helpers import paid_by_card, place_order
from tests.functional.test_shop_account_pages import BASE, cart_of, signed_in

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def test_a_paid_orders_page_links_its_invoice_and_the_link_redirects_to_the_pdf(seeded: Cloud) -> None:
    browser = signed_in(seeded)
    order = place_order(cart_of(browser))  # cash on delivery: awaiting payment, no invoice yet
    link = f"{BASE}/orders/{order}/invoice"
    assert link not in browser.get(f"{BASE}/orders/{order}").html
    not_yet = browser.get(link)
    assert not_yet.status == 404 and "paid" in not_yet.html

    paid_by_card(seeded, order)
    event = {"detail-type": "PaymentReceived", "detail": {"store_id": STORE, "order_id": order, "order_number": 1}}
    number = seeded.invoke("InvoiceIssuer", event)["number"]

    assert link in browser.get(f"{BASE}/orders/{order}").html
    answer = browser.get(link)
    assert answer.status == 303 and f"{number}.pdf" in answer.headers["location"]
    assert signed_in(seeded, "ada@example.com").get(link).status == 404  # not Ada's order
