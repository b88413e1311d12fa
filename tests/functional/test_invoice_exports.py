"""A month of invoices and credit notes as one ZIP: queued by an operator (202 with the export to poll), built by
InvoiceExporter from the queue with its progress, downloadable once done; bad months and strangers change nothing."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse
from tests.functional.settings_helpers import OWNER, SHOP, STAFF, STRANGER
from tests.functional.store_helpers import claims
from tests.functional.test_invoices import YEAR, paid, refunded, shop, store_order

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
__all__ = ["shop"]  # the fixture, shared


def ask(cloud: Cloud, month: Any, sub: str = OWNER) -> HttpResponse:
    event = api_event(
        "POST /admin/stores/{store}/invoices/exports",
        path_parameters={"store": SHOP},
        body={"month": month},
        claims=claims(sub),
    )
    return cloud.http("Invoices", event)


def poll(cloud: Cloud, export: str, sub: str = OWNER) -> HttpResponse:
    event = api_event(
        "GET /admin/stores/{store}/invoices/exports/{export}",
        path_parameters={"store": SHOP, "export": export},
        claims=claims(sub),
    )
    return cloud.http("Invoices", event)


def queued(cloud: Cloud) -> list[dict[str, Any]]:
    url = cloud.environments["Invoices"]["INVOICE_EXPORT_QUEUE_URL"]
    answer = cloud.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    return [{"messageId": m["MessageId"], "body": m["Body"]} for m in answer.get("Messages", [])]


def test_a_months_export_is_queued_built_with_progress_and_downloaded(shop: Cloud) -> None:
    for n in (1, 2, 3):
        store_order(shop, n)
        shop.invoke("InvoiceIssuer", paid(n))
    shop.invoke("InvoiceIssuer", refunded(2, 700))
    month = datetime.now(UTC).strftime("%Y-%m")  # documents are dated when issued: now

    asked = ask(shop, month, STAFF)
    assert asked.status == 202, asked.body
    assert asked.body["state"] == "queued" and asked.body["download_url"] is None
    assert asked.headers["location"].endswith(asked.body["id"])
    assert poll(shop, asked.body["id"]).body["state"] == "queued"

    records = queued(shop)
    assert len(records) == 1
    assert shop.invoke("InvoiceExporter", {"Records": records}) == {"batchItemFailures": []}

    done = poll(shop, asked.body["id"])
    assert (done.body["state"], done.body["total"], done.body["done"]) == ("done", 4, 4)
    key = f"stores/{SHOP}/invoices/exports/{asked.body['id']}.zip"
    assert key.rsplit("/", maxsplit=1)[-1] in done.body["download_url"]
    body = shop.client("s3").get_object(Bucket=shop.bucket, Key=key)["Body"].read()
    archive = zipfile.ZipFile(io.BytesIO(body))
    names = sorted(archive.namelist())
    assert names == [
        f"credit_notes/LL-CN-{YEAR}-00001.pdf",
        "index.csv",
        *(f"invoices/LL-{YEAR}-{n:05d}.pdf" for n in (1, 2, 3)),
    ]
    assert archive.read(names[0]).startswith(b"%PDF")
    rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
    note = next(r for r in rows if r["kind"] == "credit_note")
    assert (note["refers_to"], note["total"]) == (f"LL-{YEAR}-00002", "700")

    assert shop.invoke("InvoiceExporter", {"Records": records}) == {"batchItemFailures": []}  # redelivered
    assert poll(shop, asked.body["id"]).body["state"] == "done"


def test_bad_months_and_strangers_queue_nothing(shop: Cloud) -> None:
    for month in ("2026-13", "26-12", 202612):
        answer = ask(shop, month)
        assert answer.status == 400, answer.body
    assert ask(shop, "2026-12", STRANGER).status == 404
    assert queued(shop) == []
    assert [i for i in shop.all_items("InvoicesTable") if i["sk"]["S"].startswith("EXPORT#")] == []
    assert poll(shop, "exp_" + "0" * 16).status == 404
    assert poll(shop, "nope").status == 400
