"""The store export's item logic (ops/store_items.py, ops/store_rules.py, ops/store_import.plan_table), without AWS."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from localcloud.template import load_sam
from nozzly.reviews.domain.reviews import author_key
from ops.store_archive import DamagedArchive, Folder, checked
from ops.store_import import plan_table
from ops.store_items import StoreRewrite, decode, decode_lines, encode, encode_lines, sha256
from ops.store_rules import RULES, Exported, missing_rules, tables

KEYS = ("pk", "sk")


def test_every_table_of_the_template_has_an_export_rule() -> None:
    sam = load_sam()
    assert missing_rules(sam) == [], "add the table's rule to ops/store_rules.py (exported, or skipped with why)"
    assert set(RULES) <= set(tables(sam)), "a rule names a table the template no longer has"


def test_a_table_added_to_the_template_without_a_rule_is_named() -> None:
    sam = {"Resources": {"StoresTable": {"Type": "AWS::DynamoDB::Table", "Properties": {}}}}
    sam["Resources"]["GiftCardsTable"] = {"Type": "AWS::DynamoDB::Table", "Properties": {}}
    assert missing_rules(sam) == ["GiftCardsTable"]


def test_every_exported_table_selects_by_its_partition_key_and_the_store() -> None:
    for logical_id, rule in RULES.items():
        if isinstance(rule, Exported):
            assert rule.selectors and all("{store}" in s.pattern for s in rule.selectors), logical_id


def test_dynamodb_json_lines_keep_numbers_sets_and_binary_exactly() -> None:
    item = {
        "pk": {"S": "forge"},
        "sk": {"S": "PRODUCT#ember"},
        "price": {"N": "12.50"},
        "tiny": {"N": "0.1"},
        "big": {"N": "123456789012345678901234567890"},
        "tags": {"SS": ["b", "a"]},
        "sizes": {"NS": ["2", "1.5"]},
        "sketch": {"B": b"\x00\xffhll"},
        "blobs": {"BS": [b"\x01", b"\x00"]},
        "nested": {"M": {"list": {"L": [{"B": b"\x02"}, {"NULL": True}, {"BOOL": False}]}}},
    }
    back = decode(encode(item))
    assert back["sketch"] == {"B": b"\x00\xffhll"} and back["nested"]["M"]["list"]["L"][0] == {"B": b"\x02"}
    assert Decimal(back["tiny"]["N"]) == Decimal("0.1") and back["big"]["N"] == "123456789012345678901234567890"
    assert sorted(back["tags"]["SS"]) == ["a", "b"] and sorted(back["blobs"]["BS"]) == [b"\x00", b"\x01"]
    # a set read back in another order encodes to the same line, so checksums and comparisons hold
    shuffled = item | {"tags": {"SS": ["a", "b"]}, "blobs": {"BS": [b"\x00", b"\x01"]}}
    assert encode(shuffled) == encode(item)
    assert decode_lines(encode_lines([item, item])) == [back, back]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("forge", "copy"),
        ("forge#PRODUCTS", "copy#PRODUCTS"),
        ("forge#CATEGORY#blades", "copy#CATEGORY#blades"),
        ("GUEST#forge#token", "GUEST#copy#token"),
        ("STORE#forge", "STORE#copy"),
        ("ENDPOINT#forge#ep_1", "ENDPOINT#copy#ep_1"),
        ("SQUARESTATE#forge.nonce", "SQUARESTATE#copy.nonce"),
        ("shopper:forge#forge#jo@forge.test", "shopper:copy#copy#jo@forge.test"),
        ("1767225600#forge#order-1", "1767225600#copy#order-1"),
        ("stores/forge/products/ember/01.png", "stores/copy/products/ember/01.png"),
        # not the store: other stores whose id begins the same, and text that only contains it
        ("forge-two#PRODUCTS", "forge-two#PRODUCTS"),
        ("forge2", "forge2"),
        ("OPTOUT#forge@example.com", "OPTOUT#forge@example.com"),
        ("forge#jo@forge.test", "copy#jo@forge.test"),
        ("PRODUCT#forge", "PRODUCT#forge"),
        ("OPERATOR#sub-1", "OPERATOR#sub-1"),
    ],
)
def test_a_key_moves_to_the_new_store_only_where_it_names_the_store(before: str, after: str) -> None:
    assert StoreRewrite("forge", "copy").bucket_key(StoreRewrite("forge", "copy").key(before)) == after


def test_an_item_moves_its_keys_store_attributes_and_image_keys_but_not_its_text() -> None:
    item = {
        "pk": {"S": "forge"},
        "sk": {"S": "PRODUCT#ember"},
        "gsi1pk": {"S": "forge#PRODUCTS"},
        "description": {"S": "forge"},
        "store_id": {"S": "forge"},
        "doc": {"M": {"store_id": {"S": "forge"}, "seller": {"S": "forge"}}},
        "images": {"L": [{"M": {"key": {"S": "stores/forge/products/ember/images/1/original.png"}}}]},
        "price": {"N": "5"},
    }
    moved = StoreRewrite("forge", "copy").item(item, ("pk", "sk", "gsi1pk"))
    assert moved["pk"] == {"S": "copy"} and moved["gsi1pk"] == {"S": "copy#PRODUCTS"}
    assert moved["store_id"] == {"S": "copy"} and moved["doc"]["M"]["store_id"] == {"S": "copy"}
    assert moved["description"] == {"S": "forge"} and moved["doc"]["M"]["seller"] == {"S": "forge"}
    assert moved["images"]["L"][0]["M"]["key"] == {"S": "stores/copy/products/ember/images/1/original.png"}
    assert moved["price"] == {"N": "5"} and item["pk"] == {"S": "forge"}, "the input item is not changed"


def _item(sk: str, **extra: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": "copy"}, "sk": {"S": sk}} | {k: {"S": v} for k, v in extra.items()}


def test_an_import_writes_only_what_differs_and_names_what_it_would_replace() -> None:
    wanted = [_item("A", v="1"), _item("B", v="2"), _item("C", v="3")]
    plan, conflicts = plan_table(wanted, [], KEYS)
    assert len(plan.puts) == 3 and conflicts == []
    plan, conflicts = plan_table(wanted, wanted, KEYS)
    assert plan.puts == [] and plan.unchanged == 3 and conflicts == [], "a second import writes nothing"
    plan, conflicts = plan_table(wanted, wanted[:1], KEYS)
    assert [i["sk"]["S"] for i in plan.puts] == ["B", "C"] and conflicts == [], "an interrupted import resumes"
    plan, conflicts = plan_table(wanted, [_item("B", v="other"), _item("Z", v="9")], KEYS)
    assert sorted(conflicts) == ["copy#B", "copy#Z"]
    assert plan.deletes == [{"pk": {"S": "copy"}, "sk": {"S": "Z"}}]


def test_a_file_that_does_not_match_its_checksum_is_refused(tmp_path: Path) -> None:
    archive = Folder(tmp_path)
    archive.write("tables/StoresTable.jsonl", b"line\n")
    assert checked(archive, "tables/StoresTable.jsonl", sha256(b"line\n")) == b"line\n"
    with pytest.raises(DamagedArchive, match="checksum"):
        checked(archive, "tables/StoresTable.jsonl", sha256(b"other\n"))
    with pytest.raises(DamagedArchive, match="missing"):
        checked(archive, "tables/CatalogTable.jsonl", sha256(b""))


def test_a_moved_review_gets_the_key_its_new_store_computes_so_its_author_still_has_one_review() -> None:
    key = author_key("forge", "ember", "sub-1")
    review = {
        "pk": {"S": "forge#REVIEWS#ember"},
        "sk": {"S": f"REVIEW#{key}"},
        "product_reviews_sk": {"S": f"R#0000000000001#{key}"},
        "review_queue_pk": {"S": "forge#REVIEWQ#approved"},
        "review_queue_sk": {"S": f"0000000000001#ember#{key}"},
        "review_key": {"S": key},
        "product": {"S": "ember"},
        "author": {"S": "sub-1"},
        "store_id": {"S": "forge"},
    }
    keys = ("pk", "sk", "product_reviews_pk", "product_reviews_sk", "review_queue_pk", "review_queue_sk")
    moved = StoreRewrite("forge", "copy").item(review, keys)
    new = author_key("copy", "ember", "sub-1")
    assert moved["sk"] == {"S": f"REVIEW#{new}"} and moved["review_key"] == {"S": new}
    assert moved["review_queue_sk"]["S"].endswith(f"#ember#{new}") and moved["product_reviews_sk"]["S"].endswith(new)
    assert moved["pk"] == {"S": "copy#REVIEWS#ember"} and moved["review_queue_pk"] == {"S": "copy#REVIEWQ#approved"}
