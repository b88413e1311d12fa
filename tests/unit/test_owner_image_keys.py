"""Category banners and brand logos: what their upload keys say, and which old image a new one replaces."""

from __future__ import annotations

import pytest

from nozzly.catalog.domain.catalog import ProductImage
from nozzly.media.adapters.image_files import image_prefix, parse_upload_key, upload_key
from nozzly.media.domain.image_uploads import ImageOwner, replaced_image

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("kind", list(ImageOwner))
def test_an_upload_key_names_its_store_kind_owner_and_upload(kind: ImageOwner) -> None:
    key = upload_key("shop", kind, "lamps", "u1")
    assert parse_upload_key(key) == ("shop", kind, "lamps", "u1")


def test_product_keys_keep_their_three_part_form() -> None:
    assert upload_key("shop", ImageOwner.PRODUCT, "lamp", "u1") == "uploads/shop/lamp/u1"
    assert upload_key("shop", ImageOwner.BRAND, "acme", "u1") == "uploads/shop/brand/acme/u1"


@pytest.mark.parametrize(
    "key",
    [
        "stores/shop/x/u1",
        "uploads/shop/product/lamp/u1",
        "uploads/shop/widget/acme/u1",
        "uploads/shop//u1",
        "uploads/a/b/c/d/e",
    ],
)
def test_any_other_key_is_no_upload(key: str) -> None:
    assert parse_upload_key(key) is None


def test_each_kind_keeps_its_files_under_its_owner_in_the_store() -> None:
    assert image_prefix("shop", ImageOwner.PRODUCT, "lamp", "i") == "stores/shop/products/lamp/images/i/"
    assert image_prefix("shop", ImageOwner.CATEGORY, "decor", "i") == "stores/shop/categories/decor/image/i/"
    assert image_prefix("shop", ImageOwner.BRAND, "acme", "i") == "stores/shop/brands/acme/logo/i/"


def _image(image_id: str) -> ProductImage:
    return ProductImage(key=f"k/{image_id}", alt="", content_type="image/png", image_id=image_id)


def test_a_new_image_replaces_another_but_never_itself() -> None:
    assert replaced_image(None, _image("b")) is None
    assert replaced_image(_image("a"), _image("b")) == _image("a")
    assert replaced_image(_image("b"), _image("b")) is None  # a repeated delivery keeps its files
