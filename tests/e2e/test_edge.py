"""The stack's edge on a local cloud of its own: stable, cacheable image URLs through the images CDN's paths, and a
public route group with a low per-IP limit (NOZZLY_PUBLIC_RATE_LIMITS) answering 429 with Retry-After."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from nozzly.traffic.domain.rate_limits import WINDOW_SECONDS
from tests.e2e.conftest import DEMO_STORE, LocalCloud, http_request, started_cloud

pytestmark = pytest.mark.e2e

CATALOG_LIMIT = 5  # storefront-catalog's own limit in this cloud; every other group as the suite's
LIMITS = {"default": 1000000, "storefront-catalog": CATALOG_LIMIT, "payment-webhooks": 0}
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.fixture(scope="module")
def edge_cloud() -> Iterator[LocalCloud]:
    with started_cloud({"NOZZLY_PUBLIC_RATE_LIMITS": json.dumps(LIMITS)}) as cloud:
        yield cloud


def test_an_image_url_is_the_same_on_every_request_and_cached_for_a_year(edge_cloud: LocalCloud) -> None:
    slug = next(p["slug"] for p in edge_cloud.published_products() if p.get("images"))
    path = f"/stores/{DEMO_STORE}/products/{slug}"
    first = http_request(edge_cloud.api_url + path, source="127.0.0.11").json()["images"][0]["url"]
    second = http_request(edge_cloud.api_url + path, source="127.0.0.11").json()["images"][0]["url"]

    assert first == second
    assert urlsplit(first).path.startswith("/images/stores/") and not urlsplit(first).query
    image = edge_cloud.fetch(first)
    assert image.status == 200 and image.body[:4] == b"\x89PNG"
    assert image.headers["cache-control"] == IMMUTABLE
    assert image.headers["content-type"] == "image/png"
    again = edge_cloud.fetch(first, headers={"if-none-match": image.headers["etag"]})
    assert (again.status, again.body) == (304, b"")  # a browser's revalidation costs no bytes


def test_only_kept_images_are_served(edge_cloud: LocalCloud) -> None:
    # Uploads and import staging hold files nobody checked yet: the CDN never serves them.
    assert edge_cloud.api(f"/images/uploads/{DEMO_STORE}/x/y").status == 404
    assert edge_cloud.api(f"/images/stores/{DEMO_STORE}/products/none/missing.png").status == 403
    assert edge_cloud.api("/images/stores/x.png", method="POST").status == 403


def test_a_public_route_answers_429_with_retry_after_past_its_limit(edge_cloud: LocalCloud) -> None:
    url = f"{edge_cloud.api_url}/stores/{DEMO_STORE}"
    if time.time() % WINDOW_SECONDS > WINDOW_SECONDS - 15:  # the burst fits in one fixed minute, as a client's may not
        time.sleep(WINDOW_SECONDS - time.time() % WINDOW_SECONDS)
    answers = [http_request(url, source="127.0.0.21") for _ in range(CATALOG_LIMIT + 1)]

    assert [a.status for a in answers] == [200] * CATALOG_LIMIT + [429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["error"]["code"] == "too_many_requests"
    # Another address, and another route group from the same address, are not affected.
    assert http_request(url, source="127.0.0.22").status == 200
    assert http_request(f"{edge_cloud.api_url}/health/live", source="127.0.0.21").status == 200
