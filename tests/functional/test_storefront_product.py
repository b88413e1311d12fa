"""The storefront's product detail: variants, prices, images and stock as shoppers see them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from localcloud.template import LOCAL_PARAMETERS
from tests.functional.harness import STORE, Cloud, HttpResponse, http_event, load_event

pytestmark = [
    pytest.mark.functional,
    pytest.mark.filterwarnings("ignore:No application metrics to publish:UserWarning"),
]


def _product(cloud: Cloud, slug: str, store: str = STORE) -> HttpResponse:
    event = http_event("storefront_get_product.json", path_parameters={"store": store, "product": slug})
    return cloud.http("StorefrontCatalog", event)


def _reserve(cloud: Cloud, slug: str, variant: int, reserved: int) -> None:
    """What an open checkout does to a variant: hold some of its stock."""
    cloud.client("dynamodb").update_item(
        TableName=cloud.catalog_table,
        Key={"pk": {"S": STORE}, "sk": {"S": f"PRODUCT#{slug}"}},
        UpdateExpression=f"SET variants[{variant}].reserved = :r",
        ExpressionAttributeValues={":r": {"N": str(reserved)}},
    )


def _stock(response: HttpResponse) -> tuple[dict[str, object], list[dict[str, object]]]:
    assert response.status == 200, response.body
    return response.body["stock"], [v["stock"] for v in response.body["variants"]]


def test_product_detail_from_the_event_file(seeded: Cloud) -> None:
    response = seeded.http("StorefrontCatalog", load_event("storefront_get_product.json"))

    assert response.status == 200
    body = response.body
    assert (body["slug"], body["title"], body["category"]) == ("ember-longsword", "Ember Longsword", "blades")
    assert body["description"] == "A 105 cm hand-and-a-half sword with a flame-blued fuller."
    assert body["tags"] == ["longsword", "steel", "larp-safe"]
    assert body["price"] == {"amount": 12900, "currency": "EUR", "display": "129.00"}
    assert body["compare_at_price"] == {"amount": 14900, "currency": "EUR", "display": "149.00"}
    assert body["variants"] == [
        {
            "id": "standard",
            "sku": "MF-EMBER-STD",
            "title": "Standard",
            "options": {},
            "price": {"amount": 12900, "currency": "EUR", "display": "129.00"},
            "stock": {"available": 12, "status": "in_stock"},
        },
        {
            "id": "gilded",
            "sku": "MF-EMBER-GLD",
            "title": "Gilded hilt",
            "options": {},
            "price": {"amount": 15900, "currency": "EUR", "display": "159.00"},
            "stock": {"available": 2, "status": "low_stock"},
        },
    ]
    assert body["stock"] == {"available": 14, "status": "in_stock"}
    assert response.headers["cache-control"] == "public, max-age=60"


def test_product_images_are_stable_cdn_urls_of_the_copied_objects(seeded: Cloud) -> None:
    body = _product(seeded, "ember-longsword").body

    assert len(body["images"]) == 1
    image = body["images"][0]
    assert body["image"] == image
    assert (image["alt"], image["content_type"]) == ("The Ember Longsword on a dark cloth", "image/png")
    url = urlsplit(image["url"])
    # The images CDN (locally the gateway), no signature or expiry: the same URL on every request.
    assert f"{url.scheme}://{url.netloc}/images" == dict(LOCAL_PARAMETERS)["ImagesUrl"] and not url.query
    key = url.path.removeprefix("/images/")
    prefix, name = key.rsplit("/", 1)
    assert prefix == "stores/mystmereforge/products/ember-longsword"
    # Content-addressed: position, the file's tag, its name.
    assert re.fullmatch(r"00-[0-9a-f]{16}-ember-longsword\.png", name), name
    # The URL points at an object that exists: the import copied it out of the staging area.
    found = seeded.client("s3").head_object(Bucket=seeded.bucket, Key=key)
    assert (found["ContentType"], found["CacheControl"]) == ("image/png", "public, max-age=31536000, immutable")
    assert _product(seeded, "ember-longsword").body["images"][0]["url"] == image["url"]


def test_product_without_images(seeded: Cloud) -> None:
    body = _product(seeded, "moonlit-rapier").body

    assert (body["image"], body["images"]) == (None, [])


@pytest.mark.parametrize(
    "slug", ["tower-shield", "rusted-cutlass", "no-such-blade"], ids=["draft", "archived", "unknown"]
)
def test_unpublished_or_unknown_product_is_a_404(seeded: Cloud, slug: str) -> None:
    response = _product(seeded, slug)

    assert response.status == 404
    assert response.body["error"]["code"] == "not_found"
    assert response.body["error"]["fields"][0]["field"] == "product"
    assert slug in response.body["error"]["message"]


def test_product_of_another_store_is_a_404(seeded: Cloud) -> None:
    assert _product(seeded, "ember-longsword", store="nowhere").status == 404


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("ember-longsword", {"available": 14, "status": "in_stock"}),
        ("frost-sabre", {"available": 2, "status": "low_stock"}),
        ("moonlit-rapier", {"available": 0, "status": "out_of_stock"}),
        ("oaken-buckler", {"available": 30, "status": "in_stock"}),
    ],
)
def test_stock_status_follows_what_is_available(seeded: Cloud, slug: str, expected: dict[str, object]) -> None:
    product, _ = _stock(_product(seeded, slug))

    assert product == expected


def test_available_stock_is_on_hand_minus_reserved(seeded: Cloud) -> None:
    _reserve(seeded, "ember-longsword", 0, 9)  # standard: 12 on hand, 9 held by checkouts

    product, variants = _stock(_product(seeded, "ember-longsword"))

    assert variants == [{"available": 3, "status": "low_stock"}, {"available": 2, "status": "low_stock"}]
    assert product == {"available": 5, "status": "low_stock"}
    listed = seeded.http("StorefrontCatalog", http_event("storefront_list_products.json", query={"category": "blades"}))
    assert listed.body["items"][0]["stock"] == {"available": 5, "status": "low_stock"}


def test_fully_reserved_stock_is_out_of_stock_never_negative(seeded: Cloud) -> None:
    _reserve(seeded, "ember-longsword", 0, 12)
    _reserve(seeded, "ember-longsword", 1, 5)  # more held than on hand: shown as none left

    product, variants = _stock(_product(seeded, "ember-longsword"))

    assert variants == [{"available": 0, "status": "out_of_stock"}] * 2
    assert product == {"available": 0, "status": "out_of_stock"}


def test_one_variant_in_stock_keeps_the_product_in_stock(seeded: Cloud) -> None:
    _reserve(seeded, "ember-longsword", 1, 2)  # gilded sold out, standard still has 12

    product, variants = _stock(_product(seeded, "ember-longsword"))

    assert variants[1] == {"available": 0, "status": "out_of_stock"}
    assert product == {"available": 12, "status": "in_stock"}
