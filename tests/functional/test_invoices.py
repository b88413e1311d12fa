"""Invoices and credit notes: issued from the bus with gap-free numbers under concurrency and retries, their PDFs
written once and readable, listed and downloaded by operators (invoices.read) and by the shopper who paid."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader

from nozzly.customers.domain.customers import Address
from nozzly.kernel.domain.money import Money
from nozzly.orders.domain.orders import Channel, Order, OrderStatus, PaymentState
from nozzly.payments.domain.payments import Provider
from nozzly.sales.domain.checkout import CheckoutLine, PaymentInfo, PaymentMethod, ShippingChoice
from nozzly.sales.domain.pricing import PricedLine, price
from nozzly.stores.domain.tax_rules import AppliedTax
from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse, LambdaContext
from tests.functional.settings_helpers import ADMIN, OWNER, SHOP, STAFF, STRANGER, saved, team
from tests.functional.store_helpers import claims

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
NOW = 1_790_000_000  # 2026-09-21, when the orders were placed
YEAR = datetime.now(UTC).year  # documents are dated when issued: now
SHOPPER = "shopper-sub"
LEGAL = {
    "display_name": "Lantern & Loom",
    "legal_name": "Lantern & Loom GmbH",
    "legal_address": "Lichtstrasse 4\n10115 Berlin\nDeutschland",
    "tax_id": "DE 123 456 789",
    "invoice_prefix": "ll-",
    "default_language": "de-DE",
    "version": 0,
}


def order_id(n: int) -> str:
    return f"order{n:04d}"


def store_order(cloud: Cloud, n: int, *, paid: bool = True, customer: str | None = SHOPPER) -> Order:
    """A paid order as checkout stores it: two lines at 19% on top, taxed shipping."""
    lines = (
        CheckoutLine("std", "lamp", "L-1", "Brass lamp", "Standard", 2, Money(2499, "EUR")),
        CheckoutLine("std", "wick", "W-1", "Wick", "", 1, Money(333, "EUR")),
    )
    totals = price(
        [PricedLine(x.total, x.product_slug, ("lights",)) for x in lines],
        currency="EUR",
        tax=AppliedTax.flat(1900),
        now=NOW,
        shipping=Money(495, "EUR"),
    )
    order = Order(
        store_id=SHOP,
        order_id=order_id(n),
        number=1000 + n,
        status=OrderStatus.PENDING,
        payment_state=PaymentState.PAID if paid else PaymentState.AWAITING,
        channel=Channel.WEB,
        email="sam@example.com",
        customer=customer,
        lines=lines,
        shipping_address=Address("a1", "Sam Doe", "Hauptstrasse 1", "Berlin", "10115", "DE"),
        shipping=ShippingChoice("dhl", "DHL Paket", Money(495, "EUR")),
        payment_method=PaymentMethod.STRIPE_PAYMENT_INTENT if paid else PaymentMethod.CASH_ON_DELIVERY,
        payment=PaymentInfo(Provider.STRIPE, f"pi_{n}") if paid else None,
        coupon=None,
        totals=totals,
        created_at=NOW - 60,
    )
    from nozzly.orders.adapters.orders import OrdersRepository

    cloud.client("dynamodb").put_item(**OrdersRepository(cloud.names["OrdersTable"]).put_op(order)["Put"])
    return order


def bus(detail_type: str, n: int, **detail: Any) -> dict[str, Any]:
    return {
        "version": "0",
        "id": f"evt-{detail_type}-{n}",
        "detail-type": detail_type,
        "source": "nozzly.orders",
        "detail": {"store_id": SHOP, "order_id": order_id(n), "order_number": 1000 + n} | detail,
    }


def paid(n: int) -> dict[str, Any]:
    return bus("PaymentReceived", n, amount=9999, currency="EUR", by="system")


def refunded(n: int, amount: int, refund_id: str = "re_1") -> dict[str, Any]:
    return bus("OrderRefunded", n, refund_id=refund_id, amount=amount, currency="EUR")


@pytest.fixture
def shop(cloud: Cloud) -> Cloud:
    team(cloud)
    saved(cloud, "general", LEGAL)
    return cloud


def documents(cloud: Cloud) -> list[dict[str, Any]]:
    return [i for i in cloud.all_items("InvoicesTable") if i["sk"]["S"].startswith("DOC#")]


def pdf_text(cloud: Cloud, key: str) -> str:
    body = cloud.client("s3").get_object(Bucket=cloud.bucket, Key=key)["Body"].read()
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_fifty_payments_at_once_are_numbered_1_to_50_and_redelivered_ones_issue_nothing(shop: Cloud) -> None:
    for n in range(1, 51):
        store_order(shop, n)
    shop.apply_environment(shop.environments["InvoiceIssuer"])
    handler = shop.handler("InvoiceIssuer")
    context = LambdaContext("nozzly-InvoiceIssuer", 512, "arn:aws:lambda:us-east-1:123456789012:function:x")
    numbers: list[str] = []
    start = threading.Barrier(50)

    def pay(n: int) -> None:
        start.wait()
        numbers.append(handler(paid(n), context)["number"])

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(1, 51)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)

    assert sorted(numbers) == [f"LL-{YEAR}-{i:05d}" for i in range(1, 51)]
    for n in (1, 17, 50):  # EventBridge delivers at least once; a retried step finds the invoice issued
        again = handler(paid(n), context)["number"]
        assert again in numbers
    sequence = shop.item("InvoicesTable", SHOP, f"SEQ#invoice#{YEAR}")
    assert sequence is not None and sequence["last"]["N"] == "50"
    assert len(documents(shop)) == 50
    assert len(shop.object_keys(f"stores/{SHOP}/invoices/invoices/{YEAR}/")) == 50


def test_the_invoice_pdf_names_its_number_the_sellers_tax_id_and_the_totals(shop: Cloud) -> None:
    order = store_order(shop, 1)
    assert shop.invoke("InvoiceIssuer", paid(1)) == {"number": f"LL-{YEAR}-00001"}

    text = pdf_text(shop, f"stores/{SHOP}/invoices/invoices/{YEAR}/LL-{YEAR}-00001.pdf")
    assert f"Rechnung LL-{YEAR}-00001" in text  # the store's language (de-DE)
    assert "DE 123 456 789" in text and "Lantern & Loom GmbH" in text
    assert f"{order.totals.total.to_decimal_string()} EUR" in text  # 79.23 EUR
    assert f"{order.totals.tax.to_decimal_string()} EUR" in text
    assert "Sam Doe" in text and "DHL Paket" in text


def test_a_partial_refund_gets_a_credit_note_equal_to_it_referring_to_the_invoice_once(shop: Cloud) -> None:
    store_order(shop, 1)
    shop.invoke("InvoiceIssuer", paid(1))
    assert shop.invoke("InvoiceIssuer", refunded(1, 1000)) == {"number": f"LL-CN-{YEAR}-00001"}
    assert shop.invoke("InvoiceIssuer", refunded(1, 1000)) == {"number": f"LL-CN-{YEAR}-00001"}  # redelivered
    assert shop.invoke("InvoiceIssuer", refunded(1, 500, "re_2")) == {"number": f"LL-CN-{YEAR}-00002"}

    note = operator(shop, "GET /admin/stores/{store}/invoices/{document}", document=f"credit_note-{YEAR}-1").body
    assert note["refers_to"] == f"LL-{YEAR}-00001" and note["total"]["amount"] == 1000
    assert sum(r["gross"]["amount"] for r in note["taxes"]) == 1000
    assert note["net_total"]["amount"] + note["tax_total"]["amount"] == 1000
    text = pdf_text(shop, f"stores/{SHOP}/invoices/credit-notes/{YEAR}/LL-CN-{YEAR}-00001.pdf")
    assert f"Gutschrift LL-CN-{YEAR}-00001" in text and f"LL-{YEAR}-00001" in text and "10.00 EUR" in text


def test_a_pdf_once_stored_is_never_written_again(shop: Cloud) -> None:
    store_order(shop, 1)
    shop.invoke("InvoiceIssuer", paid(1))
    shop.invoke("InvoiceIssuer", paid(1))
    key = f"stores/{SHOP}/invoices/invoices/{YEAR}/LL-{YEAR}-00001.pdf"
    versions = shop.client("s3").list_object_versions(Bucket=shop.bucket, Prefix=key).get("Versions", [])
    assert len(versions) == 1


def test_an_order_awaiting_cash_is_not_invoiced(shop: Cloud) -> None:
    store_order(shop, 1, paid=False)
    with pytest.raises(Exception, match="once it is paid"):
        shop.invoke("InvoiceIssuer", paid(1))
    assert documents(shop) == []
    assert shop.item("InvoicesTable", SHOP, f"SEQ#invoice#{YEAR}") is None  # no number was used up


def operator(
    cloud: Cloud, route: str, sub: str | None = OWNER, query: dict[str, str] | None = None, **params: str
) -> HttpResponse:
    event = api_event(route, path_parameters={"store": SHOP, **params}, claims=claims(sub) if sub else None)
    if query:
        event["rawQueryString"] = "&".join(f"{k}={v}" for k, v in query.items())
        event["queryStringParameters"] = dict(query)
    return cloud.http("Invoices", event)


def test_operators_list_documents_by_date_and_download_one(shop: Cloud) -> None:
    for n in (1, 2):
        store_order(shop, n)
        shop.invoke("InvoiceIssuer", paid(n))
    shop.invoke("InvoiceIssuer", refunded(2, 300))
    day = {"from": "2020-01-01", "to": "2099-12-31"}

    listed = operator(
        shop, "GET /admin/stores/{store}/invoices", STAFF, {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}
    )
    assert listed.status == 200, listed.body
    # oldest first; all three were issued within one second here
    assert sorted(d["number"] for d in listed.body["items"]) == [
        f"LL-{YEAR}-00001",
        f"LL-{YEAR}-00002",
        f"LL-CN-{YEAR}-00001",
    ]
    paged = operator(
        shop,
        "GET /admin/stores/{store}/invoices",
        ADMIN,
        {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31", "limit": "2"},
    )
    assert len(paged.body["items"]) == 2 and paged.body["next_cursor"]
    this_month = operator(shop, "GET /admin/stores/{store}/invoices", OWNER)  # no range: this month so far
    assert len(this_month.body["items"]) == 3
    empty = operator(shop, "GET /admin/stores/{store}/invoices", OWNER, {"from": "2025-01-01", "to": "2025-12-31"})
    assert empty.body["items"] == []

    one = operator(shop, "GET /admin/stores/{store}/invoices/{document}", document=f"invoice-{YEAR}-2")
    assert one.status == 200 and one.body["order_id"] == order_id(2)
    assert one.body["seller"]["tax_id"] == "DE 123 456 789"
    assert one.body["download_url"].startswith("https://") and f"LL-{YEAR}-00002.pdf" in one.body["download_url"]
    assert [x["tax_rate_basis_points"] for x in one.body["lines"]] == [1900, 1900, 1900]

    assert operator(shop, "GET /admin/stores/{store}/invoices", STRANGER, day).status == 404
    assert operator(shop, "GET /admin/stores/{store}/invoices", None, day).status == 401
    backwards = operator(
        shop, "GET /admin/stores/{store}/invoices", OWNER, {"from": f"{YEAR}-02-01", "to": f"{YEAR}-01-01"}
    )
    assert backwards.status == 400 and backwards.body["error"]["fields"][0]["field"] == "to"
    assert (
        operator(shop, "GET /admin/stores/{store}/invoices", OWNER, {"from": "nope", "to": f"{YEAR}-01-01"}).status
        == 400
    )
    missing = operator(shop, "GET /admin/stores/{store}/invoices/{document}", document=f"invoice-{YEAR}-9")
    assert missing.status == 404
    assert operator(shop, "GET /admin/stores/{store}/invoices/{document}", document="bogus").status == 404


def shopper(cloud: Cloud, n: int, sub: str = SHOPPER) -> HttpResponse:
    token = {"sub": sub, "username": f"{SHOP}#sam@example.com", "token_use": "access", "client_id": "shopper"}
    event = api_event(
        "GET /stores/{store}/me/orders/{order}/invoice",
        path_parameters={"store": SHOP, "order": order_id(n)},
        claims=token,
    )
    return cloud.http("Invoices", event)


def test_a_shopper_downloads_the_invoice_of_their_own_paid_order_only(shop: Cloud) -> None:
    store_order(shop, 1)
    store_order(shop, 2, customer="someone-else")
    store_order(shop, 3)
    for n in (1, 2):
        shop.invoke("InvoiceIssuer", paid(n))

    mine = shopper(shop, 1)
    assert mine.status == 200 and mine.body["number"] == f"LL-{YEAR}-00001"
    assert f"LL-{YEAR}-00001.pdf" in mine.body["download_url"]
    assert shopper(shop, 2).status == 404  # another shopper's order
    not_yet = shopper(shop, 3)
    assert not_yet.status == 404 and "paid" in not_yet.body["error"]["message"]
