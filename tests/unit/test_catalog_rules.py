"""Operators' catalog rules: the category tree, variants and SKUs, stock adjustments."""

from __future__ import annotations

import pytest

from nozzly.catalog.domain import catalog_rules as rules
from nozzly.catalog.domain.brands import check_logo_key
from nozzly.catalog.domain.catalog import Category, Product, Variant
from nozzly.catalog.domain.stock import adjusted_on_hand
from nozzly.kernel.domain.errors import Conflict, InvalidInput, NotFound
from nozzly.kernel.domain.money import Money

pytestmark = pytest.mark.unit


def tree(*pairs: tuple[str, str | None], deleted: tuple[str, ...] = ()) -> dict[str, Category]:
    return {s: Category("s", s, s.title(), parent=p, deleted=s in deleted) for s, p in pairs}


TREE = tree(("home", None), ("decor", "home"), ("lights", "decor"), ("garden", None))


def product(*variants: Variant) -> Product:
    return Product("s", "lamp", "Lamp", Money(100, "EUR"), "lights", variants=variants)


def test_a_category_path_runs_from_the_root_to_the_category() -> None:
    assert rules.category_path(TREE, "lights") == ("home", "decor", "lights")
    assert rules.category_path(TREE, "garden") == ("garden",)


def test_a_path_through_a_deleted_or_unknown_category_is_not_found() -> None:
    with pytest.raises(NotFound):
        rules.category_path(tree(("home", None), ("decor", "home"), deleted=("home",)), "decor")
    with pytest.raises(NotFound):
        rules.category_path(TREE, "nope")


@pytest.mark.parametrize(("slug", "parent"), [("home", "lights"), ("decor", "decor"), ("home", "decor")])
def test_a_category_cannot_move_under_itself_or_below_itself(slug: str, parent: str) -> None:
    with pytest.raises(Conflict):
        rules.check_parent(TREE, slug, parent)


def test_a_move_elsewhere_and_to_the_top_is_fine() -> None:
    rules.check_parent(TREE, "decor", "garden")
    rules.check_parent(TREE, "decor", None)


def test_the_tree_has_a_depth_limit_counting_the_moved_subtree() -> None:
    chain = [(f"c{i}", f"c{i - 1}" if i else None) for i in range(rules.MAX_CATEGORY_DEPTH)]
    deep = tree(*chain, ("x", None), ("y", "x"))
    rules.check_parent(deep, None, f"c{rules.MAX_CATEGORY_DEPTH - 2}")
    with pytest.raises(Conflict):
        rules.check_parent(deep, None, f"c{rules.MAX_CATEGORY_DEPTH - 1}")
    with pytest.raises(Conflict):
        rules.check_parent(deep, "x", f"c{rules.MAX_CATEGORY_DEPTH - 2}")  # x brings y one level deeper


def test_a_category_with_live_children_or_products_cannot_be_deleted_but_a_restore_needs_its_parent() -> None:
    with pytest.raises(Conflict):
        rules.check_deletable(TREE["decor"], TREE, 0)
    with pytest.raises(Conflict):
        rules.check_deletable(TREE["lights"], TREE, 2)
    rules.check_deletable(TREE["lights"], TREE, 0)
    with pytest.raises(Conflict):
        rules.check_restorable(TREE["decor"], tree(("home", None), ("decor", "home"), deleted=("home", "decor")))


def test_numbered_slugs_skip_taken_ones() -> None:
    assert rules.unique_slug("Desk Lamp", {"desk-lamp", "desk-lamp-2"}, what="product") == "desk-lamp-3"
    with pytest.raises(InvalidInput):
        rules.unique_slug("!!!", set(), what="product")


def test_skus_clash_whatever_their_case_and_option_combinations_must_differ() -> None:
    with pytest.raises(InvalidInput):
        rules.check_variants((Variant("a", "ab-1", "A", 0), Variant("b", "AB-1", "B", 0)))
    same = (("size", "M"),)
    with pytest.raises(InvalidInput):
        rules.check_variants((Variant("a", "A1", "A", 0, options=same), Variant("b", "B1", "B", 0, options=same)))
    with pytest.raises(InvalidInput):
        rules.check_sku("has space")


def test_sku_changes_name_what_to_claim_and_release() -> None:
    before = product(Variant("a", "A1", "A", 0), Variant("b", "B1", "B", 0))
    after = product(Variant("a", "a1", "A", 0), Variant("c", "C1", "C", 0))
    assert rules.sku_changes(before, after) == ({"C1"}, {"B1"})


def test_the_last_variant_and_a_reserved_one_stay() -> None:
    with pytest.raises(Conflict):
        rules.without_variant(product(Variant("a", "A1", "A", 5)), "a")
    with pytest.raises(Conflict):
        rules.without_variant(product(Variant("a", "A1", "A", 5, reserved=1), Variant("b", "B1", "B", 0)), "a")
    assert [
        v.variant_id
        for v in rules.without_variant(product(Variant("a", "A1", "A", 5), Variant("b", "B1", "B", 0)), "a").variants
    ] == ["b"]


def test_a_changed_variant_keeps_what_checkout_reserved() -> None:
    read = product(Variant("a", "A1", "A", 5, reserved=2))
    changed = rules.changed_variant(read, Variant("a", "A2", "A", 5, reserved=0))
    assert (changed.variants[0].sku, changed.variants[0].reserved) == ("A2", 2)


def test_stock_never_goes_below_reserved_or_zero() -> None:
    variant = Variant("a", "A1", "A", stock_on_hand=5, reserved=3)
    assert adjusted_on_hand(variant, 4) == 9
    assert adjusted_on_hand(variant, -2) == 3
    with pytest.raises(Conflict):
        adjusted_on_hand(variant, -3)
    with pytest.raises(Conflict):
        adjusted_on_hand(Variant("b", "B1", "B", 1), -2)
    with pytest.raises(InvalidInput):
        adjusted_on_hand(variant, 0)


def test_a_brand_logo_is_one_of_the_store_s_own_images() -> None:
    assert check_logo_key("s", "stores/s/logo.png") == "stores/s/logo.png"
    assert check_logo_key("s", None) is None
    for key in ("stores/other/logo.png", "stores/s/../other/logo.png"):
        with pytest.raises(InvalidInput):
            check_logo_key("s", key)
