"""An owner changes store settings over HTTP in the local cloud: versions, a stale change refused, the logo
uploaded through its presigned POST, the history of who changed what."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests import image_samples as samples
from tests.e2e.operators import call, log_in, open_ready_store
from tests.e2e.test_image_uploads import _form_post

if TYPE_CHECKING:
    from tests.e2e.conftest import LocalCloud

pytestmark = pytest.mark.e2e


def test_an_owner_changes_settings_and_reads_them_back(local_cloud: LocalCloud) -> None:
    token = log_in(local_cloud, "", "settings-owner@stores.test")
    store = open_ready_store(local_cloud, token, "Lamplight Letters")
    base = f"/admin/stores/{store}/settings"

    opened = call(local_cloud, "GET", base, token)
    assert opened.status == 200, opened.body
    general = opened.json()["general"]
    assert (general["version"], general["display_name"], general["updated_by"]) == (1, "Lamplight Letters", "nozzly")

    change = {k: general[k] for k in ("display_name", "default_language", "weight_unit")} | {
        "version": 1,
        "storefront_url": "https://letters.example",
        "timezone": "Europe/Paris",
        "order_number_prefix": "LL-",
    }
    changed = call(local_cloud, "PUT", f"{base}/general", token, change)
    stale = call(local_cloud, "PUT", f"{base}/general", token, change | {"timezone": "Europe/Rome"})
    read = call(local_cloud, "GET", f"{base}/general", token)

    assert changed.status == 200 and changed.json()["version"] == 2, changed.body
    assert stale.status == 409 and stale.json()["error"]["code"] == "version_conflict", stale.body
    assert read.json()["timezone"] == "Europe/Paris" and read.json()["storefront_url"] == "https://letters.example"
    assert read.headers["etag"] == '"2"'

    link = call(local_cloud, "POST", f"{base}/branding/logo", token, {"content_type": "image/png"})
    assert link.status == 201, link.body
    uploaded = _form_post(link.json()["url"], link.json()["fields"], "logo.png", samples.png(120, 48), "image/png")
    assert uploaded.status == 204, uploaded.body
    branding = {"version": 1, "sender_name": "Lamplight", "brand_colour": "#112233", "logo": link.json()["logo"]}
    saved = call(local_cloud, "PUT", f"{base}/branding", token, branding)
    assert saved.status == 200, saved.body
    assert saved.json()["logo"] == link.json()["logo"] and saved.json()["logo_url"].startswith("http")

    history = call(local_cloud, "GET", f"{base}/general/history", token).json()["items"]
    assert [(h["version"], h["settings"]["timezone"]) for h in history] == [(2, "Europe/Paris"), (1, "UTC")]
