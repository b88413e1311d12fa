"""Driving the product image functions: an owner's store with a product, uploads, S3 events from events/.

Imported as `tests.functional.image_helpers`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from nozzly.catalog.adapters.catalog import CatalogRepository
from nozzly.catalog.domain.catalog import Product, ProductImage, Variant
from nozzly.kernel.domain.money import Money
from tests.functional.auth_helpers import api_event
from tests.functional.harness import Cloud, HttpResponse, load_event
from tests.functional.store_helpers import ALICE, claims, open_store, provision

IMAGES = "/admin/stores/{store}/products/{product}/images"
PRODUCT = "lantern-shade"


def store_with_product(cloud: Cloud, images: int = 0) -> str:
    """Alice's provisioned store with one published product (as the catalog's write side puts it)."""
    store = open_store(cloud, ALICE)
    provision(cloud, store)
    put_product(cloud, store, images=images)
    return store


def put_product(cloud: Cloud, store: str, slug: str = PRODUCT, images: int = 0, version: int = 3) -> None:
    cloud.apply_environment(cloud.environments["ImageUploads"])
    CatalogRepository(cloud.catalog_table).put_product(
        Product(
            store_id=store,
            slug=slug,
            title="Lantern Shade",
            price=Money(2500, "EUR"),
            category="lighting",
            images=tuple(
                ProductImage(
                    key=f"stores/{store}/products/{slug}/{n:02d}-x.png", alt=f"old {n}", content_type="image/png"
                )
                for n in range(images)
            ),
            variants=(Variant(variant_id="default", sku=f"SKU-{slug}", title="Default", stock_on_hand=5),),
            version=version,
        )
    )


def product_item(cloud: Cloud, store: str, slug: str = PRODUCT) -> dict[str, Any]:
    item = cloud.item("CatalogTable", store, f"PRODUCT#{slug}")
    assert item is not None
    return item


def image_keys(cloud: Cloud, store: str, slug: str = PRODUCT) -> list[str]:
    return [i["M"]["key"]["S"] for i in product_item(cloud, store, slug)["images"]["L"]]


def call(
    cloud: Cloud, method: str, route: str, store: str, *, sub: str | None = ALICE, body: Any = None, **params: str
) -> HttpResponse:
    path_parameters = {"store": store, "product": PRODUCT} | params
    event = api_event(
        f"{method} {IMAGES}{route}", path_parameters=path_parameters, body=body, claims=claims(sub) if sub else None
    )
    return cloud.http("ImageUploads", event)


def start_upload(
    cloud: Cloud, store: str, content_type: str = "image/png", alt: str = "A lit lantern"
) -> dict[str, Any]:
    response = call(cloud, "POST", "/uploads", store, body={"content_type": content_type, "alt": alt})
    assert response.status == 201, response.body
    started: dict[str, Any] = response.body
    return started


def upload_status(cloud: Cloud, store: str, upload: str, product: str = PRODUCT) -> HttpResponse:
    return call(cloud, "GET", "/uploads/{upload}", store, upload=upload, product=product)


def put_upload(cloud: Cloud, started: dict[str, Any], data: bytes) -> str:
    """The file as the presigned POST would store it (S3 has checked the policy); its key."""
    key = str(started["fields"]["key"])
    cloud.client("s3").put_object(
        Bucket=cloud.bucket, Key=key, Body=data, ContentType=started["fields"]["Content-Type"]
    )
    return key


def s3_event(cloud: Cloud, key: str, size: int) -> dict[str, Any]:
    """events/image_processor_uploaded.json for this object, URL-encoded as S3 sends keys."""
    event = load_event("image_processor_uploaded.json")
    record = event["Records"][0]
    record["s3"]["bucket"]["name"] = cloud.bucket
    record["s3"]["bucket"]["arn"] = f"arn:aws:s3:::{cloud.bucket}"
    record["s3"]["object"] |= {"key": quote_plus(key), "size": size}
    return event


def process(cloud: Cloud, key: str, size: int) -> dict[str, str]:
    outcomes: dict[str, str] = cloud.invoke("ImageProcessor", s3_event(cloud, key, size))["outcomes"]
    return outcomes


def upload_file(cloud: Cloud, store: str, data: bytes, content_type: str = "image/png") -> tuple[str, str]:
    """Ask for a link, upload through it, let S3 notify the processor: (upload id, its outcome)."""
    started = start_upload(cloud, store, content_type)
    key = put_upload(cloud, started, data)
    return str(started["id"]), process(cloud, key, len(data))[key]


def all_versions(cloud: Cloud, prefix: str) -> list[str]:
    """Every version of every object under prefix, delete markers aside: what S3 still stores."""
    listed = cloud.client("s3").list_object_versions(Bucket=cloud.bucket, Prefix=prefix)
    return sorted(v["Key"] for v in listed.get("Versions", []))
