"""Catalog domain rules: stock, product invariants, published counts, slugs."""

from __future__ import annotations

from typing import Any

import pytest

from nozzly.catalog.domain.catalog import (
    Product,
    ProductStatus,
    StockStatus,
    Variant,
    count_published_by_category,
    stock_status,
)
from nozzly.kernel.domain.errors import InvalidInput
from nozzly.kernel.domain.money import Money
from nozzly.kernel.domain.slugs import MAX_SLUG_LENGTH, is_slug, slugify

pytestmark = pytest.mark.unit


def variant(sku: str = "SKU-1", on_hand: int = 10, reserved: int = 0, **kwargs: Any) -> Variant:
    return Variant(variant_id=sku.lower(), sku=sku, title=sku, stock_on_hand=on_hand, reserved=reserved, **kwargs)


def product(*variants: Variant, **kwargs: Any) -> Product:
    fields: dict[str, Any] = {
        "store_id": "mystmere-forge",
        "slug": "iron-kettle",
        "title": "Iron kettle",
        "price": Money(2500, "EUR"),
        "category": "kitchen",
        "variants": variants or (variant(),),
    }
    return Product(**(fields | kwargs))


@pytest.mark.parametrize(("on_hand", "reserved", "available"), [(10, 3, 7), (10, 10, 0), (10, 12, 0), (0, 0, 0)])
def test_available_is_on_hand_minus_reserved_never_below_zero(on_hand: int, reserved: int, available: int) -> None:
    assert variant(on_hand=on_hand, reserved=reserved).available == available


@pytest.mark.parametrize(("on_hand", "reserved", "field"), [(-1, 0, "stock_on_hand"), (5, -1, "reserved")])
def test_negative_stock_is_refused_naming_the_field(on_hand: int, reserved: int, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        variant(on_hand=on_hand, reserved=reserved)
    assert caught.value.field == field


@pytest.mark.parametrize("price", [Money(900, "USD"), Money(-1, "EUR")])
def test_variant_price_must_be_non_negative_and_in_the_product_currency(price: Money) -> None:
    with pytest.raises(InvalidInput) as caught:
        product(variant(price=price))
    assert caught.value.field == "variants"


@pytest.mark.parametrize(
    ("available", "threshold", "expected"),
    [
        (0, 3, StockStatus.OUT_OF_STOCK),
        (-2, 3, StockStatus.OUT_OF_STOCK),
        (1, 3, StockStatus.LOW_STOCK),
        (3, 3, StockStatus.LOW_STOCK),
        (4, 3, StockStatus.IN_STOCK),
        (0, 0, StockStatus.OUT_OF_STOCK),
        (1, 0, StockStatus.IN_STOCK),
    ],
)
def test_stock_status_thresholds(available: int, threshold: int, expected: StockStatus) -> None:
    assert stock_status(available, threshold) is expected


def test_variant_stock_status_counts_reservations() -> None:
    assert variant(on_hand=5, reserved=5).stock_status is StockStatus.OUT_OF_STOCK
    assert variant(on_hand=5, reserved=2, low_stock_threshold=3).stock_status is StockStatus.LOW_STOCK
    assert variant(on_hand=5, reserved=1, low_stock_threshold=3).stock_status is StockStatus.IN_STOCK


def test_product_needs_a_variant() -> None:
    with pytest.raises(InvalidInput) as caught:
        Product(store_id="s", slug="p", title="P", price=Money(100, "EUR"), category="c", variants=())
    assert caught.value.field == "variants"


def test_product_variant_skus_must_be_unique() -> None:
    with pytest.raises(InvalidInput) as caught:
        product(variant("SKU-1"), variant("SKU-1"))
    assert caught.value.field == "variants"
    assert len(product(variant("SKU-1"), variant("SKU-2")).variants) == 2


def test_compare_at_price_must_share_the_currency() -> None:
    with pytest.raises(InvalidInput) as caught:
        product(compare_at_price=Money(3000, "USD"))
    assert caught.value.field == "compare_at_price"
    assert product(compare_at_price=Money(3000, "EUR")).compare_at_price == Money(3000, "EUR")


def test_price_cannot_be_negative_but_may_be_zero() -> None:
    with pytest.raises(InvalidInput) as caught:
        product(price=Money(-1, "EUR"))
    assert caught.value.field == "price"
    assert product(price=Money(0, "EUR")).price == Money(0, "EUR")


@pytest.mark.parametrize(
    ("stocks", "expected"),
    [
        ([(0, 0), (2, 0)], StockStatus.LOW_STOCK),
        ([(0, 0), (10, 0), (1, 0)], StockStatus.IN_STOCK),
        ([(0, 0), (4, 4)], StockStatus.OUT_OF_STOCK),
        ([(10, 1)], StockStatus.IN_STOCK),
    ],
)
def test_product_stock_status_is_its_best_variant(stocks: list[tuple[int, int]], expected: StockStatus) -> None:
    variants = [variant(f"SKU-{i}", on_hand, reserved) for i, (on_hand, reserved) in enumerate(stocks)]
    assert product(*variants).stock_status is expected


def test_product_available_sums_variants() -> None:
    assert product(variant("A", 5, 2), variant("B", 1, 3), variant("C", 4)).available == 3 + 0 + 4


def test_price_of_prefers_the_variant_price() -> None:
    plain, large = variant("SMALL"), variant("LARGE", price=Money(3200, "EUR"))
    p = product(plain, large)
    assert p.price_of(large) == Money(3200, "EUR")
    assert p.price_of(plain) == Money(2500, "EUR")


def test_count_published_by_category_ignores_drafts_and_archived() -> None:
    products = [
        product(slug="a", category="boots"),
        product(slug="b", category="boots"),
        product(slug="c", category="boots", status=ProductStatus.DRAFT),
        product(slug="d", category="hats", status=ProductStatus.ARCHIVED),
        product(slug="e", category="hats"),
        product(slug="f", category="scarves", status=ProductStatus.DRAFT),
    ]
    assert count_published_by_category(products) == {"boots": 2, "hats": 1}
    assert count_published_by_category([]) == {}


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Mystmere Forge!", "mystmere-forge"),
        ("Crème Brûlée", "creme-brulee"),
        ("  --Hello,   World--  ", "hello-world"),
        ("Ñandú & Co. 2024", "nandu-co-2024"),
        ("Große Straße", "grosse-strasse"),
        ("Łódź Ørsted Æsir", "lodz-orsted-aesir"),
        ("already-a-slug", "already-a-slug"),
        ("!!!", ""),
        ("🔥🔥", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("東京ストア", "dong-jing-sutoa"),  # Japanese
        ("Ελληνικά", "ellenika"),  # Greek
        ("Москва Маркет", "moskva-market"),  # Cyrillic
        ("متجر الورد", "mtjr-lwrd"),  # Arabic
        ("한국 상점", "hangug-sangjeom"),  # Korean
        ("Ember 東京 Forge", "ember-dong-jing-forge"),
    ],
)
def test_names_in_any_script_make_an_ascii_slug(text: str, slug: str) -> None:
    assert slugify(text) == slug
    assert is_slug(slug)


def test_slugify_caps_length_without_a_trailing_hyphen() -> None:
    assert slugify("a" * 200) == "a" * MAX_SLUG_LENGTH
    cut_on_hyphen = slugify("abc " * 30)  # the 80th character is a hyphen
    assert len(cut_on_hyphen) == MAX_SLUG_LENGTH - 1
    assert not cut_on_hyphen.endswith("-")
    for text in ("Ωmega Ünïcode Straße " * 10, "x" * 81, "Mystmere Forge!"):
        assert is_slug(slugify(text)), text


@pytest.mark.parametrize("value", ["mystmere-forge", "a", "a1-b2-c3", "a" * MAX_SLUG_LENGTH])
def test_is_slug_accepts(value: str) -> None:
    assert is_slug(value)


@pytest.mark.parametrize("value", ["", "Mystmere", "a--b", "-a", "a-", "a b", "crème", "a_b", "a" * 81])
def test_is_slug_rejects(value: str) -> None:
    assert not is_slug(value)
