"""An item's JSON made without deep-copying every nested value first.

moto 5.2.5 turns an item into JSON four times per UpdateItem (the old item and the new for the answer, and
again for the stream record) and once per item a read returns. Each nested value (`to_regular_json`) starts
with `copy.deepcopy` of itself and then replaces every member of the copy by that member's own JSON, which
deep-copies it again: a map of maps is copied once per level it sits under, and all those copies but the
last are thrown away. A posting list of the search index (250 entries of nested maps) took 79 ms per
UpdateItem; importing 5,000 products then indexed for more than ten minutes.

Here a map or list is rebuilt member by member, each member's JSON made once; a scalar (or a member that is
not a DynamoDB value) is still deep-copied as before, so the JSON shares nothing mutable with the stored item.
tests/functional/test_localcloud_dynamodb_item_json.py compares the two on every attribute type.
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
    """Make nested values' JSON member by member. Returns the undo; None (moto left alone) for another moto."""
    import moto

    if moto.__version__ != PINNED_MOTO:
        return None
    from moto.dynamodb.models.dynamo_type import DynamoType

    original = DynamoType.__dict__["to_regular_json"]

    def member(value: Any) -> Any:
        return value.to_regular_json() if isinstance(value, DynamoType) else _copied(value)

    def to_regular_json(self: DynamoType) -> dict[str, Any]:
        value = self.value
        if isinstance(value, dict):
            value = {key: member(nested) for key, nested in value.items()}
        elif isinstance(value, list):
            value = [member(nested) for nested in value]
        else:
            value = _copied(value)
        if self.is_binary() and isinstance(value, str):
            value = base64.b64decode(value)
        return {self.type: value}

    DynamoType.to_regular_json = to_regular_json
    return lambda: setattr(DynamoType, "to_regular_json", original)
