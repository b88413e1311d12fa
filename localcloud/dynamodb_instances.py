"""DynamoDB items that are no longer stored are freed.

moto 5.2.5 keeps every instance of each of its models in a class-level list (`BaseModel.__new__` appends it to
`instances_tracked`) for its server's dashboard, and never removes one. An UpdateItem deep-copies the stored item
(its old image), so every update left a whole copy of the item behind, and every stream record stayed too. The
search index's posting lists are items of up to 250 entries that every indexing batch updates: indexing 5,000
products grew the emulator by about 10 GB (82 million attribute values held by 82,000 items no table stored), and
it never shrank.

Items and stream records are made without that list here, so a copy lives as long as something uses it; nothing
else changes (moto's dashboard, which the local cloud does not serve, no longer lists them). Other services'
models are left alone: S3 walks its keys' list when it resets.

tests/functional/test_localcloud_dynamodb_instances.py checks that updates leave no copies and answer as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

PINNED_MOTO = "5.2.5"  # BaseModel.__new__ tracking every instance, as described above


def _untracked(cls: type, *args: Any, **kwargs: Any) -> Any:
    return object.__new__(cls)


def install() -> Callable[[], None] | None:
    """Stop tracking DynamoDB items and stream records. Returns the undo; None (moto left alone) for another moto."""
    import moto

    if moto.__version__ != PINNED_MOTO:
        return None
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.models.table import StreamRecord

    classes: list[Any] = [Item, StreamRecord]
    for cls in classes:
        cls.__new__ = staticmethod(_untracked)
        cls.instances_tracked.clear()

    def undo() -> None:
        for cls in classes:
            del cls.__new__

    return undo
