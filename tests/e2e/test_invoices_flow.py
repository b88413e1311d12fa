"""Invoices end to end in the local cloud: a cash-on-delivery order marked paid gets its invoice through the
orders stream, the bus rule and InvoiceIssuer; a partial refund gets its credit note; the operator downloads the
PDF through its presigned link and reads the number, the seller's tax id and the total in it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import LocalCloud, http_request
from tests.e2e.operators import call
from tests.e2e.shop import open_store, operator, placed_order, put_product

pytestmark = pytest.mark.e2e
STORE = "invoice-forge"


def documents(cloud: LocalCloud, owner: str) -> list[dict[str, Any]]:
    """The store's documents of this month; none while the listing is not answering yet (a cold start)."""
    answer = call(cloud, "GET", f"/admin/stores/{STORE}/invoices", owner)
    found: list[dict[str, Any]] = answer.json()["items"] if answer.status == 200 else []
    return found


def test_a_paid_order_is_invoiced_and_its_partial_refund_credited(local_cloud: LocalCloud) -> None:
    owner = open_store(local_cloud, STORE, "Invoice Forge", "owner@invoice-forge.test", payouts=False)
    general = call(local_cloud, "GET", f"/admin/stores/{STORE}/settings/general", owner).json()
    legal = {k: general[k] for k in ("display_name", "default_language", "timezone", "weight_unit")}
    legal |= {"version": general["version"], "legal_name": "Invoice Forge GmbH", "tax_id": "DE999999999"}
    saved = operator(
        local_cloud, owner, "PUT", f"/admin/stores/{STORE}/settings/general", legal | {"invoice_prefix": "IF-"}
    )
    assert saved.status == 200, saved.body
    order = placed_order(local_cloud, STORE, put_product(local_cloud, STORE, "anvil", 5), "sam@example.com")

    # OrderPayments' first call is its cold start (the payment SDKs): a loaded machine needs more than 30 s.
    auth = {"authorization": f"Bearer {owner}"}
    marked = http_request(
        f"{local_cloud.api_url}/admin/stores/{STORE}/orders/{order}/mark-paid", "POST", auth, None, 120
    )
    assert marked.status == 200, marked.body
    (invoice,) = local_cloud.eventually(lambda: documents(local_cloud, owner), lambda d: len(d) == 1, 60)
    assert invoice["kind"] == "invoice" and invoice["number"].startswith("IF-") and invoice["order_id"] == order

    refunded = operator(
        local_cloud, owner, "POST", f"/admin/stores/{STORE}/orders/{order}/refunds",
        {"reason": "dented", "amount": {"amount": 700, "currency": "EUR"}}, key="invoice-flow-0001",
    )  # fmt: skip
    assert refunded.status == 201, refunded.body
    listed = local_cloud.eventually(lambda: documents(local_cloud, owner), lambda d: len(d) == 2, 60)
    note = next(d for d in listed if d["kind"] == "credit_note")
    assert note["refers_to"] == invoice["number"] and note["total"]["amount"] == 700

    one = call(local_cloud, "GET", f"/admin/stores/{STORE}/invoices/{invoice['id']}", owner).json()
    pdf = http_request(one["download_url"], "GET", {})
    assert pdf.status == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body)).pages)
    assert invoice["number"] in text and "DE999999999" in text and invoice["total"]["display"] in text
