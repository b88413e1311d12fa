"""An operator opens a store over HTTP; the real StoreProvisioning state machine runs in the emulator."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.e2e.operators import call, log_in, provisioning

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e


def test_an_operator_opens_a_store_sees_it_provisioned_then_deletes_it(local_cloud: LocalCloud) -> None:
    token = log_in(local_cloud, "", "opener@stores.test")
    body = {"name": "Quill & Quire", "niche": "Books", "description": "Used books.", "currency": "GBP", "country": "GB"}

    opened = call(local_cloud, "POST", "/admin/stores", token, body)

    assert opened.status == 202, opened.body
    store = opened.json()["id"]
    assert store.startswith("quill-quire")
    assert opened.json()["status"] == "PENDING"
    seen: list[tuple[str, int]] = []

    def poll() -> dict[str, object]:
        state = provisioning(local_cloud, token, store)
        seen.append((str(state["status"]), int(str(state["progress"]))))
        return state

    done = local_cloud.eventually(poll, lambda p: p["status"] in ("READY", "FAILED"), timeout=60)
    assert done == {"status": "READY", "progress": 100, "error": None}
    assert [p for _, p in seen] == sorted(p for _, p in seen)  # progress never goes back
    categories = local_cloud.get_json(f"/stores/{store}/categories")["items"]
    assert [c["slug"] for c in categories] == ["fiction", "non-fiction", "children"]
    assert local_cloud.get_json(f"/stores/{store}")["currency"] == "GBP"
    mine = call(local_cloud, "GET", "/admin/stores", token).json()["items"]
    assert {"id": store, "name": "Quill & Quire", "role": "owner"} in mine

    assert call(local_cloud, "DELETE", f"/admin/stores/{store}", token).status == 204

    for path in ("", "/categories", "/products", "/products?category=fiction", "/products/anything"):
        assert local_cloud.api(f"/stores/{store}{path}").status == 404, path
    assert call(local_cloud, "GET", f"/admin/stores/{store}", token).status == 404
    assert local_cloud.get_json("/stores/mystmereforge")["name"]  # other tenants are untouched
