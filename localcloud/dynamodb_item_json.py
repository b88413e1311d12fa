"""An item's JSON made without deep-copying every nested value first, and its size without copying it.

moto 5.2.5 turns an item into JSON four times per UpdateItem (the old item and the new for the answer, and
again for the stream record) and once per item a read returns. Each nested value (`to_regular_json`) starts
with `copy.deepcopy` of itself and then replaces every member of the copy by that member's own JSON, which
deep-copies it again: a map of maps is copied once per level it sits under, and all those copies but the
last are thrown away. A posting list of the search index (250 entries of nested maps) took 79 ms per
UpdateItem; importing 5,000 products then indexed for more than ten minutes.

Here a map or list is rebuilt member by member, each member's JSON made once; a scalar (or a member that is
not a DynamoDB value) is still deep-copied as before, so the JSON shares nothing mutable with the stored item.

moto also checks an item's 400 KB limit before each attribute an UpdateItem sets, by measuring the whole item,
and measuring a map builds a new value object for each member (and, through it, for everything below). An
indexing batch sets up to a hundred entries of a posting list, so the list was measured a hundred times per
write: a fifth of the emulator while 5,000 products were indexed. The size is now counted by the same rules,
branch for branch, without building anything; the check and its limit are moto's.

tests/functional/test_localcloud_dynamodb_item_json.py compares both with moto's own on every attribute type.
"""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from typing import Any

PINNED_MOTO = "5.2.5"
_ATOMIC = frozenset({str, bytes, int, float, bool, type(None)})  # what copy.deepcopy returns as it is


def _copied(value: Any) -> Any:
    return value if type(value) in _ATOMIC else copy.deepcopy(value)


def install() -> Callable[[], None] | None:
    """Make nested values' JSON member by member and count sizes without copies. Returns the undo; None (moto
    left alone) for another moto."""
    import moto

    if moto.__version__ != PINNED_MOTO:
        return None
    from moto.dynamodb.models.dynamo_type import DDBType, DynamoType
    from moto.dynamodb.models.utilities import bytesize

    original = DynamoType.__dict__["to_regular_json"]

    def member_json(value: Any) -> Any:
        return value.to_regular_json() if isinstance(value, DynamoType) else _copied(value)

    def to_regular_json(self: DynamoType) -> dict[str, Any]:
        value = self.value
        if isinstance(value, dict):
            value = {key: member_json(nested) for key, nested in value.items()}
        elif isinstance(value, list):
            value = [member_json(nested) for nested in value]
        else:
            value = _copied(value)
        if self.is_binary() and isinstance(value, str):
            value = base64.b64decode(value)
        return {self.type: value}

    original_size = DynamoType.__dict__["size"]
    numbers, sets = DDBType.NUMBER, frozenset({DDBType.STRING_SET, DDBType.NUMBER_SET, DDBType.BINARY_SET})

    def as_value(member: Any) -> DynamoType:  # moto measures a map's members through a new value object
        return member if type(member) is DynamoType else DynamoType(member)

    def scalar_size(kind: str, value: Any) -> int:
        if kind == numbers:
            return len(str(value))
        return 1 if isinstance(value, bool) else bytesize(value)

    def size(self: DynamoType) -> int:
        kind, value = self.type, self.value
        if kind == numbers:
            return len(str(value))
        if kind in sets:
            return sum(scalar_size(kind[0], member) for member in value)
        if kind == DDBType.LIST:
            return sum(as_value(member).size() for member in value)
        if kind == DDBType.MAP:
            return sum(bytesize(key) + as_value(member).size() for key, member in value.items())
        return 1 if isinstance(value, bool) else bytesize(value)

    DynamoType.to_regular_json = to_regular_json
    DynamoType.size = size

    def undo() -> None:
        DynamoType.to_regular_json = original
        DynamoType.size = original_size

    return undo
