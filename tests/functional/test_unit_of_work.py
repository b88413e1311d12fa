"""The unit of work against the template's tables (moto): named parts, all or nothing, typed reads."""

from __future__ import annotations

from typing import Any

import pytest

from tests.functional.harness import Cloud


def _put(table: str, sk: str, *, only_new: bool = True) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": table, "Item": {"pk": {"S": "s"}, "sk": {"S": sk}}}
    if only_new:
        put["ConditionExpression"] = "attribute_not_exists(pk)"
    return {"Put": put}


def test_a_failed_condition_names_its_part_and_writes_nothing(cloud: Cloud) -> None:
    from nozzly.kernel.adapters.unit_of_work import Transaction, WriteConflict

    Transaction().add("taken", _put(cloud.stores_table, "A")).commit()
    tx = Transaction().add("fresh", _put(cloud.stores_table, "B"), _put(cloud.stores_table, "C"))
    tx.add("taken", _put(cloud.stores_table, "A"))
    with pytest.raises(WriteConflict) as conflict:
        tx.commit()
    assert conflict.value.failed == {"taken"}
    assert [i["sk"]["S"] for i in cloud.all_items("StoresTable")] == ["A"]


def test_more_writes_than_one_transaction_holds_are_refused_not_split(cloud: Cloud) -> None:
    from nozzly.kernel.adapters.unit_of_work import MAX_TRANSACTION_ITEMS, Transaction
    from nozzly.kernel.domain.errors import InvalidInput

    tx = Transaction().add("many", *[_put(cloud.stores_table, f"K{i}") for i in range(MAX_TRANSACTION_ITEMS + 1)])
    with pytest.raises(InvalidInput, match="atomically"):
        tx.commit()
    assert cloud.all_items("StoresTable") == []


def test_reads_of_two_tables_come_back_by_name_and_missing_ones_as_none(cloud: Cloud) -> None:
    from nozzly.kernel.adapters.batch import Read
    from nozzly.kernel.adapters.unit_of_work import ReadSet, Transaction

    Transaction().add("a", _put(cloud.stores_table, "A"), _put(cloud.catalog_table, "P")).commit()

    def read(table: str, sk: str) -> Read[str]:
        return Read(table, {"pk": {"S": "s"}, "sk": {"S": sk}}, lambda data: f"{table}:{data['sk']}")

    reads = ReadSet()
    store = reads.add(read(cloud.stores_table, "A"))
    products = reads.add_each({"p": read(cloud.catalog_table, "P"), "gone": read(cloud.catalog_table, "X")})
    found = reads.fetch()
    assert found[store] == f"{cloud.stores_table}:A"
    assert found.each(products) == {"p": f"{cloud.catalog_table}:P"}
    assert found[products["gone"]] is None
