"""Each UpdateExpression text is tokenised and parsed once, not on every UpdateItem.

moto 5.2.5 parses an UpdateItem's expression in the request handler (to check the names and values it uses)
and again in the backend, on every call: about 5 % of the emulator's CPU under the carts bench, where every
public request bumps a rate-limit counter with the same expression. The parsed tree depends only on the text,
and moto never changes it: its handler only searches it, and its validator deep-copies it before resolving
names and values. So one tree is kept per text (a bounded LRU); a text that does not parse raises as before
and is not kept. tests/functional/test_localcloud_dynamodb_update_parse.py checks results, errors and counts.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

PINNED_MOTO = "5.2.5"  # the parser and the callers described above; another version is left alone


def install() -> Callable[[], None] | None:
    """Keep parsed update expressions. Returns the undo; None (moto left alone) for another moto version."""
    import moto

    if moto.__version__ != PINNED_MOTO:
        return None
    from moto.dynamodb.parsing.expressions import UpdateExpressionParser

    original = UpdateExpressionParser.__dict__["make"]
    parse = functools.lru_cache(maxsize=2048)(original.__func__)

    def make(cls: type, expression_str: str) -> object:
        return parse(cls, expression_str)

    UpdateExpressionParser.make = classmethod(make)

    def undo() -> None:
        UpdateExpressionParser.make = original

    return undo
