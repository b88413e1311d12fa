"""`make export` / `make import` (ops/store_export.py, ops/store_import.py) on the template in moto, and the README's
point-in-time restore procedure followed step by step with moto's `restore_table_to_point_in_time`."""

from __future__ import annotations

from pathlib import Path

import pytest

from localcloud.template import load_sam
from ops.store_archive import Folder, table_file
from ops.store_export import export_store
from ops.store_import import Refused, import_store
from ops.store_items import StoreRewrite, decode_lines, encode
from ops.store_rules import RULES, Exported, exported, tables
from ops.store_stack import Stack
from tests.functional.harness import STORE, Cloud

SAM = load_sam()
COPY = "forge-copy"
CATALOG_KEYS = tables(SAM)["CatalogTable"].key_attributes


def stack_of(cloud: Cloud) -> Stack:
    names = {shape.logical_id: cloud.names[shape.logical_id] for shape, _ in exported(SAM)}
    return Stack("nozzly", cloud.client("dynamodb"), cloud.client("s3"), names, cloud.names["ImagesBucket"])


def store_items(stack: Stack, store: str) -> dict[str, list[str]]:
    return {
        lid: sorted(encode(i) for i in stack.items(lid, rule, store))
        for lid, rule in RULES.items()
        if isinstance(rule, Exported)
    }


def test_a_store_exported_and_imported_under_a_new_id_is_the_same_store_and_a_second_import_writes_nothing(
    seeded: Cloud, tmp_path: Path
) -> None:
    stack = stack_of(seeded)
    manifest = export_store(stack, SAM, STORE, Folder(tmp_path))
    assert manifest["tables"]["CatalogTable"]["items"] > 5 and manifest["images"]["objects"] > 0

    report = import_store(stack, SAM, Folder(tmp_path), COPY)
    assert report["tables"]["CatalogTable"]["written"] == manifest["tables"]["CatalogTable"]["items"]
    rewrite = StoreRewrite(STORE, COPY)
    for shape, _ in exported(SAM):
        lines = decode_lines((tmp_path / table_file(shape.logical_id)).read_bytes())
        expected = sorted(encode(rewrite.item(i, shape.key_attributes)) for i in lines)
        assert store_items(stack, COPY)[shape.logical_id] == expected, shape.logical_id
    copied = [o["Key"] for o in stack.objects(f"stores/{COPY}/")]
    assert len(copied) == manifest["images"]["objects"]
    assert all(COPY in line for line in store_items(stack, COPY)["CatalogTable"] if '"images"' in line)

    again = import_store(stack, SAM, Folder(tmp_path), COPY)
    assert all(t["written"] == 0 and t["deleted"] == 0 for t in again["tables"].values())
    assert again["images"]["written"] == 0
    assert store_items(stack, STORE)["CatalogTable"] == sorted(
        encode(i) for i in decode_lines((tmp_path / table_file("CatalogTable")).read_bytes())
    ), "the source store is untouched"

    # a different store under the id: refused, nothing written; with overwrite the target becomes the export
    table = stack.tables["CatalogTable"]
    stack.dynamodb.put_item(TableName=table, Item={"pk": {"S": COPY}, "sk": {"S": "PRODUCT#someone-elses"}})
    with pytest.raises(Refused, match="PRODUCT#someone-elses"):
        import_store(stack, SAM, Folder(tmp_path), COPY)
    assert "PRODUCT#someone-elses" in str(store_items(stack, COPY)["CatalogTable"])
    import_store(stack, SAM, Folder(tmp_path), COPY, overwrite=True)
    assert store_items(stack, COPY)["CatalogTable"] == sorted(
        encode(rewrite.item(i, CATALOG_KEYS))
        for i in decode_lines((tmp_path / table_file("CatalogTable")).read_bytes())
    )


def test_the_point_in_time_restore_procedure_brings_one_stores_lost_product_back(cloud: Cloud, tmp_path: Path) -> None:
    """README "Point-in-time restore": restore the table to a new one, export the store from it, import over."""
    stack = stack_of(cloud)
    for table, sk in (
        ("StoresTable", "PROFILE"),
        ("CatalogTable", "PRODUCT#ember-longsword"),
        ("CatalogTable", "BRAND#x"),
    ):
        item = {"pk": {"S": STORE}, "sk": {"S": sk}, "price": {"N": "12.50"}, "tags": {"SS": ["a", "b"]}}
        stack.dynamodb.put_item(TableName=stack.tables[table], Item=item)
    dynamodb, live = stack.dynamodb, stack.tables["CatalogTable"]
    assert (
        dynamodb.describe_continuous_backups(TableName=live)["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"
        ]["PointInTimeRecoveryStatus"]
        == "ENABLED"
    )
    before = store_items(stack, STORE)["CatalogTable"]
    # 1. the restore point (moto restores the table as it is now; AWS takes --restore-date-time)
    restored = f"{live}-restored"
    dynamodb.restore_table_to_point_in_time(
        SourceTableName=live, TargetTableName=restored, UseLatestRestorableTime=True
    )
    # the mistake after the restore point
    dynamodb.delete_item(TableName=live, Key={"pk": {"S": STORE}, "sk": {"S": "PRODUCT#ember-longsword"}})
    assert store_items(stack, STORE)["CatalogTable"] != before
    # 2. export the store from the restored table (--table CatalogTable=<restored>)
    from_restored = Stack(
        stack.name, dynamodb, stack.s3, stack.tables | {"CatalogTable": restored}, stack.images_bucket
    )
    export_store(from_restored, SAM, STORE, Folder(tmp_path))
    # 3. import it over the live store: what was lost comes back, nothing else is written
    report = import_store(stack, SAM, Folder(tmp_path), overwrite=True)
    assert report["tables"]["CatalogTable"]["written"] == 1
    assert store_items(stack, STORE)["CatalogTable"] == before
    # 4. the restored table is deleted
    dynamodb.delete_table(TableName=restored)
