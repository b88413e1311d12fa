"""An attention item's API id names its kind, product and variant; anything else names no item."""

from __future__ import annotations

from nozzly.stores.domain.attention import AttentionKey, parse_item_id


def test_an_item_id_round_trips() -> None:
    key = AttentionKey("low_stock", "ember-longsword", "standard")
    assert key.item_id == "low_stock:ember-longsword:standard"
    assert parse_item_id(key.item_id) == key


def test_ids_that_cannot_be_items_name_nothing() -> None:
    for item_id in ("", "low_stock", "low_stock:a", "review:a:b", "low_stock:a:b:c", "low_stock::b",
                    "low_stock:a b:c", "low_stock:a:" + "x" * 121, "low_stock:ä:b"):  # fmt: skip
        assert parse_item_id(item_id) is None, item_id
