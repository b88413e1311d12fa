"""TransactWriteItems whose cost does not grow with the tables it touches.

moto 5.2.5 makes a transaction all-or-nothing by deep-copying every table it names before the first write
and putting the copies back if any part fails: 0.34 ms per stored item, so a checkout's transaction on a
table of 4,000 items took 1.4 s, and every other DynamoDB call waited behind it (they run one at a time,
see dynamodb_isolation). Here moto's own transaction code still runs unchanged; only its backup is
replaced: before it starts, each item the transaction names is copied (one item, not the table) with the
length of its table's stream, and if moto raises, exactly those items and streams are put back. Results,
errors and stream records are the same as moto's (tests/functional/test_localcloud_transactions.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PINNED_MOTO = "5.2.5"  # the transaction code this relies on; another version keeps moto's own backup


@dataclass
class _Journal:
    """What a transaction may change, as it was before: item copies by (table, hash, range) and stream lengths."""

    items: dict[tuple[str, Any, Any], tuple[Any, Any, bool]] = field(default_factory=dict)
    streams: dict[str, tuple[Any, int]] = field(default_factory=dict)

    def remember(self, backend: Any, op: dict[str, Any]) -> None:
        table = backend.tables.get(op.get("TableName"))
        if table is None:
            return  # moto refuses the transaction before writing anything
        from moto.dynamodb.models.dynamo_type import DynamoType

        key: dict[str, Any] = (op.get("Item") if "Item" in op else op.get("Key")) or {}
        try:
            hash_value = DynamoType(key[table.hash_key_attr])
            range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
            # Asked before reading: moto's read of a missing range item leaves an empty entry for its hash.
            hash_existed = hash_value in table.items
            current = table.get_item(hash_value, range_value)
        except Exception:  # a malformed key fails in moto before it writes: nothing to remember
            return
        self.items.setdefault((table.name, hash_value, range_value), (table, copy.deepcopy(current), hash_existed))
        if table.stream_shard is not None:
            self.streams.setdefault(table.name, (table, len(table.stream_shard.items)))

    def undo(self) -> None:
        for (_, hash_value, range_value), (table, before, hash_existed) in self.items.items():
            if range_value is None:
                if before is None:
                    table.items.pop(hash_value, None)
                else:
                    table.items[hash_value] = before
                continue
            if before is not None:
                table.items[hash_value][range_value] = before
                continue
            same_hash = table.items.get(hash_value)
            if same_hash is not None:
                same_hash.pop(range_value, None)
                if not same_hash and not hash_existed:
                    del table.items[hash_value]
        for table, length in self.streams.values():
            del table.stream_shard.items[length:]


class _CopyWithoutTables:
    """The `copy` module as moto's DynamoDB backend sees it: a table "copies" to itself (the journal restores
    what a failed transaction changed); everything else is copied as before."""

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        from moto.dynamodb.models.table import Table

        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def install() -> Callable[[], None] | None:
    """Replace moto's table backup with the journal. Returns the undo, or None (moto left alone) for another
    moto version."""
    import moto
    import moto.dynamodb.models as backend_module

    if moto.__version__ != PINNED_MOTO:
        return None
    backend = backend_module.DynamoDBBackend
    original = backend.transact_write_items
    original_copy = backend_module.copy

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        journal = _Journal()
        for entry in transact_items[:100]:  # moto refuses more than 100 before writing
            for op in entry.values():
                if isinstance(op, dict):
                    journal.remember(self, op)
        try:
            original(self, transact_items)
        except BaseException:
            journal.undo()
            raise

    backend_module.copy = _CopyWithoutTables()
    backend.transact_write_items = transact_write_items

    def undo() -> None:
        backend.transact_write_items = original
        backend_module.copy = original_copy

    return undo
