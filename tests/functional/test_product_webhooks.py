"""Every path that changes a product reaches integrators' webhooks once per product changed: bulk status, delete
and restore, the catalog import and the product import. The bus events each path publishes are fed to the
WebhookDispatcher, sent by the WebhookSender to a receiver on loopback, verified with the Standard Webhooks
library and read as the documented ProductWebhookPayload."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from nozzly.kernel.adapters.events import EventPublisher
from nozzly.webhooks.contracts.endpoints import ProductWebhookPayload
from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, load_event, product_step, store_step
from tests.functional.store_helpers import ALICE, claims
from tests.functional.test_catalog_admin import LAMP, call, create, store  # noqa: F401  # the fixture
from tests.functional.test_product_imports import imports, supplier  # noqa: F401  # the fixture
from tests.functional.test_webhooks import drain, join
from tests.webhook_receiver import Receiver, receiver

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]
PRODUCT_TYPES = ["product.created", "product.updated", "product.deleted"]
Bus = list[tuple[str, dict[str, Any]]]


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Bus:
    """The product events handed to EventBridge, in order (moto cannot invoke the rules' Lambda targets, so
    the publish itself fails after recording here, and the tests hand each event to the dispatcher)."""
    published: Bus = []
    original = EventPublisher.publish_all

    def recording(self: EventPublisher, source: str, events: Any) -> None:
        published.extend((t, d) for t, d in events if t.startswith("Product"))
        original(self, source, events)

    monkeypatch.setattr(EventPublisher, "publish_all", recording)
    return published


@pytest.fixture
def hooks(cloud: Cloud) -> Iterator[Receiver]:
    with receiver() as rx:
        yield rx


def endpoint(cloud: Cloud, store_id: str, url: str) -> str:
    """A store's endpoint for the product events; its secret."""
    body = {"url": url, "event_types": PRODUCT_TYPES}
    path = {"store": store_id}
    event = api_event("POST /admin/stores/{store}/webhooks", path_parameters=path, body=body, claims=claims(ALICE))
    created = cloud.http("WebhooksAdmin", event)
    assert created.status == 201, created.body
    return str(created.body["secret"])


def delivered(cloud: Cloud, bus: Bus, rx: Receiver, secret: str) -> list[ProductWebhookPayload]:
    """What the bus events published so far become at the receiver: verified, parsed, by version."""
    for detail_type, detail in bus:
        event: dict[str, Any] = {"id": str(uuid.uuid4()), "detail-type": detail_type, "source": "nozzly.catalog"}
        event |= {"time": "2026-12-04T10:00:00Z", "detail": detail}
        assert cloud.invoke("WebhookDispatcher", event) == {"enqueued": 1}
    drain(cloud, lambda: len(rx.succeeded()) >= len(bus))
    assert len({r.headers["webhook-id"] for r in rx.received}) == len(rx.received) == len(bus)
    found = [ProductWebhookPayload.model_validate(Webhook(secret).verify(r.body, r.headers)) for r in rx.received]
    return sorted(found, key=lambda d: (d.data.version, d.type))  # the queue does not keep their order


def changes(documents: list[ProductWebhookPayload]) -> list[tuple[str, str, str, bool]]:
    return sorted((d.type, d.data.product, d.data.status, d.data.deleted) for d in documents)


def test_a_bulk_status_change_sends_one_webhook_per_product_changed_and_its_retry_sends_none(
    cloud: Cloud,
    store: str,  # noqa: F811  # the fixture imported above
    bus: Bus,
    hooks: Receiver,
) -> None:
    a = create(cloud, store)["slug"]
    b = create(cloud, store, LAMP | {"title": "B", "variants": [{"name": "One", "sku": "B"}]})["slug"]
    live = create(cloud, store, LAMP | {"title": "C", "status": "published", "variants": [{"name": "One", "sku": "C"}]})
    secret = endpoint(cloud, store, hooks.url)
    bus.clear()
    request = {"products": [a, b, live["slug"]], "status": "published"}

    done = call(cloud, "POST /products/bulk-status", ALICE, store, request)
    retried = call(cloud, "POST /products/bulk-status", ALICE, store, request)

    assert done.status == retried.status == 200
    assert [p["status"] for p in retried.body["items"]] == ["published"] * 3
    assert [d["product"] for _, d in bus] == [a, b]  # the one already published did not change
    documents = delivered(cloud, bus, hooks, secret)
    assert changes(documents) == [("product.updated", s, "published", False) for s in sorted((a, b))]
    assert all(d.data.store_id == store and d.data.version == 2 for d in documents)


def test_a_new_variant_a_delete_and_a_restore_each_send_one_webhook_and_repeating_them_sends_none(
    cloud: Cloud,
    store: str,  # noqa: F811
    bus: Bus,
    hooks: Receiver,
) -> None:
    lamp = create(cloud, store)["slug"]
    secret = endpoint(cloud, store, hooks.url)
    bus.clear()
    added = call(cloud, "POST /products/{product}/variants", ALICE, store, {"name": "Huge", "sku": "XL"}, product=lamp)
    assert added.status == 201, added.body
    for route in ("DELETE /products/{product}", "POST /products/{product}/restore"):
        for _ in range(2):
            answer = call(cloud, route, ALICE, store, product=lamp)
            assert answer.status in (200, 204), answer.body

    documents = delivered(cloud, bus, hooks, secret)
    assert [(d.type, d.data.deleted, d.data.version) for d in documents] == [
        ("product.updated", False, 2),
        ("product.deleted", True, 3),
        ("product.updated", False, 4),
    ]


def test_the_catalog_import_sends_created_then_updated_only_when_a_reimport_changes_the_product(
    cloud: Cloud, bus: Bus, hooks: Receiver
) -> None:
    shop = f"hooks-{uuid.uuid4().hex[:8]}"
    cloud.invoke("CatalogImport", store_step(shop))
    join(cloud, ALICE, "owner", shop)
    secret = endpoint(cloud, shop, hooks.url)
    bus.clear()
    product = copy.deepcopy(load_event("catalog_import_product_step.json")["product"]) | {"images": []}

    cloud.invoke("CatalogImport", product_step(product, shop))
    cloud.invoke("CatalogImport", product_step(product, shop))  # the Map's retry: the same item
    cloud.invoke("CatalogImport", product_step(product | {"title": "Ember Claymore"}, shop))

    documents = delivered(cloud, bus, hooks, secret)
    assert [(d.type, d.data.product, d.data.title) for d in documents] == [
        ("product.created", product["slug"], product["title"]),
        ("product.updated", product["slug"], "Ember Claymore"),
    ]


def test_a_product_import_sends_product_created_once_even_when_its_create_step_runs_again(
    cloud: Cloud,
    store: str,  # noqa: F811
    supplier: str,  # noqa: F811
    bus: Bus,
    hooks: Receiver,
) -> None:
    secret = endpoint(cloud, store, hooks.url)
    source = f"{supplier}/products/EL-100.json"
    body = {"source_url": source, "category": "decor"}
    run = imports(cloud, "POST /admin/stores/{store}/imports", ALICE, store, body=body)
    ref = {"store_id": store, "import_id": run.body["id"]}
    fetched = cloud.invoke("ProductImportSteps", ref | {"step": "fetch", "source_url": source, "category": "decor"})
    price = cloud.invoke("ProductImportSteps", ref | {"step": "price", "product": fetched["product"]})
    words = {"seo_title": "Lamp", "description_html": "<p>A lamp.</p>", "meta_description": "A lamp."}
    copied = words | {"keywords": [], "image_alts": [], "needs_copy": True, "ai_tokens": 0}
    create_step = ref | {"step": "create", "source_url": source, "category": "decor", "slug": fetched["slug"]}
    create_step |= {"product": fetched["product"], "copy": copied, "images": {"images": []}, "price": price}

    assert cloud.invoke("ProductImportSteps", create_step) == {"product_slug": fetched["slug"]}
    assert cloud.invoke("ProductImportSteps", create_step) == {"product_slug": fetched["slug"]}  # retried

    documents = delivered(cloud, bus, hooks, secret)
    assert [(d.type, d.data.product, d.data.status, d.data.deleted) for d in documents] == [
        ("product.created", fetched["slug"], "draft", False)
    ]
