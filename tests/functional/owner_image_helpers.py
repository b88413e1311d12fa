"""Driving the category banner and brand logo routes of ImageUploads, and ImageProcessor, through events/.

Imported as `tests.functional.owner_image_helpers`.
"""

from __future__ import annotations

from typing import Any

from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse
from tests.functional.image_helpers import process, put_upload
from tests.functional.store_helpers import ALICE, claims, open_store, provision

BANNER = "/admin/stores/{store}/categories/{category}/image"
LOGO = "/admin/stores/{store}/brands/{brand}/logo"
CATEGORY = "decor"  # one of a provisioned store's starter categories


def store_with_brand(cloud: Cloud, name: str = "Lumen Works") -> tuple[str, str]:
    """Alice's provisioned store (starter categories) with one brand made through CatalogTaxonomy: (store, brand)."""
    store = open_store(cloud, ALICE)
    provision(cloud, store)
    created = taxonomy(cloud, "POST /admin/stores/{store}/brands", store, body={"name": name})
    assert created.status == 201, created.body
    return store, str(created.body["slug"])


def taxonomy(cloud: Cloud, route: str, store: str, *, body: Any = None, **params: str) -> HttpResponse:
    event = api_event(route, path_parameters={"store": store} | params, body=body, claims=claims(ALICE))
    return cloud.http("CatalogTaxonomy", event)


def call(
    cloud: Cloud, method: str, route: str, store: str, *, sub: str | None = ALICE, body: Any = None, **params: str
) -> HttpResponse:
    """route: BANNER or LOGO followed by the rest of the path; params fill category, brand, upload."""
    event = api_event(
        f"{method} {route}", path_parameters={"store": store} | params, body=body, claims=claims(sub) if sub else None
    )
    return cloud.http("ImageUploads", event)


def start(cloud: Cloud, base: str, store: str, content_type: str = "image/png", **owner: str) -> dict[str, Any]:
    response = call(
        cloud, "POST", base + "/uploads", store, body={"content_type": content_type, "alt": "Shown"}, **owner
    )
    assert response.status == 201, response.body
    started: dict[str, Any] = response.body
    return started


def upload(cloud: Cloud, base: str, store: str, data: bytes, **owner: str) -> tuple[str, str]:
    """Ask for a link, upload through it, let S3 notify the processor: (upload id, its outcome)."""
    started = start(cloud, base, store, **owner)
    key = put_upload(cloud, started, data)
    return str(started["id"]), process(cloud, key, len(data))[key]


def status(cloud: Cloud, base: str, store: str, upload_id: str, **owner: str) -> HttpResponse:
    return call(cloud, "GET", base + "/uploads/{upload}", store, upload=upload_id, **owner)


def stored_image(cloud: Cloud, store: str, sk: str, attribute: str) -> dict[str, Any] | None:
    """The image map stored on the category or brand item, None when it has none."""
    item = cloud.item("CatalogTable", store, sk)
    assert item is not None
    value = item.get(attribute)
    return None if value is None or "NULL" in value else dict(value["M"])
