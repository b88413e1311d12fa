"""Product writes publish ProductCreated, ProductUpdated and ProductDeleted (what integrators' webhooks carry)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from nozzly.kernel.adapters.events import EventPublisher
from tests.functional.harness import Cloud
from tests.functional.store_helpers import ALICE
from tests.functional.test_catalog_admin import LAMP, call, create, store  # noqa: F401  # the fixture

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def test_creating_changing_and_deleting_a_product_publishes_its_events(
    cloud: Cloud,
    store: str,  # noqa: F811  # the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    published: list[tuple[str, dict[str, Any]]] = []
    original = EventPublisher.publish_all

    def recording(self: EventPublisher, source: str, events: Sequence[tuple[str, dict[str, Any]]]) -> None:
        published.extend(events)
        original(self, source, events)

    monkeypatch.setattr(EventPublisher, "publish_all", recording)
    lamp = create(cloud, store, LAMP)
    changed = call(cloud, "PATCH /products/{product}", ALICE, store, {"title": "Brass lamp"}, product=lamp["slug"])
    assert changed.status == 200, changed.body
    deleted = call(cloud, "DELETE /products/{product}", ALICE, store, product=lamp["slug"])
    assert deleted.status == 204, deleted.body
    mine = [(t, d["product"], d.get("title")) for t, d in published if t.startswith("Product")]
    assert mine == [
        ("ProductCreated", lamp["slug"], LAMP["title"]),
        ("ProductUpdated", lamp["slug"], "Brass lamp"),
        ("ProductDeleted", lamp["slug"], "Brass lamp"),
    ]
    assert all(d["store_id"] == store for t, d in published if t.startswith("Product"))
