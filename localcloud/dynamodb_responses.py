"""DynamoDB answers written without moto's generic serialiser walking every attribute value.

moto 5.2.5 serialises each response by walking botocore's model: every attribute value of every item is a
structure of ten members, and each member is looked up through several name aliases. That walk was 85 % of
a Query's cost (a page of 24 products took 87 ms). An attribute value is already in the wire's own shape
({"S": ...}, {"M": {...}}, ...), so here it is written as the wire has it, with the same conversions the
walk applies (numbers and strings as text, binary as base64). Everything else is still moto's walk.
tests/functional/test_localcloud_dynamodb_responses.py compares the two on generated items.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

PINNED_MOTO = "5.2.5"
_SERVICES = frozenset({"dynamodb", "dynamodbstreams"})
_SCALARS = frozenset({"S", "N"})
_SETS = frozenset({"SS", "NS"})
_FLAGS = frozenset({"NULL", "BOOL"})


class _NotPlain(Exception):
    """A value this shortcut does not write (moto's walk does)."""


def _binary(value: Any) -> str:
    if isinstance(value, str):
        value = value.encode("utf-8")
    if not isinstance(value, bytes | bytearray):
        raise _NotPlain
    return base64.b64encode(value).strip().decode("utf-8")


def _text(value: Any) -> Any:
    # moto's string member: anything but None, {} and [] becomes its str().
    return str(value) if value not in (None, {}, []) else value


def wire(value: Any) -> dict[str, Any]:
    """An attribute value ({"S": "x"}, {"M": {...}}, ...) as moto's walk writes it; _NotPlain otherwise."""
    if not isinstance(value, dict) or len(value) != 1:
        raise _NotPlain
    [(kind, inner)] = value.items()
    if inner is None:
        raise _NotPlain  # the walk drops a None member; keep its exact answer
    written: Any
    if kind in _SCALARS:
        written = _text(inner)
    elif kind in _FLAGS:
        written = inner
    elif kind == "B":
        written = _binary(inner)
    elif kind in _SETS:
        written = [_text(v) for v in inner]
    elif kind == "BS":
        written = [_binary(v) for v in inner]
    elif kind == "M" and isinstance(inner, dict):
        written = {k: wire(v) for k, v in inner.items()}
    elif kind == "L" and isinstance(inner, list):
        written = [wire(v) for v in inner]
    else:
        raise _NotPlain
    return {kind: written}


def install() -> Callable[[], None] | None:
    """Write DynamoDB attribute values directly. Returns the undo; None (moto left alone) for another version."""
    import moto
    from moto.core.serialize import BaseJSONSerializer

    if moto.__version__ != PINNED_MOTO:
        return None
    original = BaseJSONSerializer._serialize_type_structure

    def _serialize_type_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        if key and shape.name == "AttributeValue" and self.operation_model.service_model.service_name in _SERVICES:
            try:
                self._default_serialize(serialized, wire(value), shape, key)
                return
            except _NotPlain:
                pass
        original(self, serialized, value, shape, key)

    BaseJSONSerializer._serialize_type_structure = _serialize_type_structure

    def undo() -> None:
        BaseJSONSerializer._serialize_type_structure = original

    return undo
