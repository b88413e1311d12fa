"""Each state machine definition is parsed by ANTLR once, not once per execution.

moto 5.2.5's interpreter (LocalStack's) parses the definition's JSON text with an ANTLR grammar at the start of
every execution, then turns the parse tree into evaluation components. The parse was 16 % of the emulator's
CPU under the carts bench (a checkout saga is one execution per order). The parse tree is only read after
parsing, so it is kept per definition text; the components, which hold an execution's state, are still built
fresh for each execution by moto's own Preprocessor. A definition with syntax errors is not kept: it raises
as before. tests/functional/test_localcloud_asl_parse_cache.py checks both.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

PINNED_MOTO = "5.2.5"  # AmazonStateLanguageParser.parse as this relies on it; another version is left alone
KEPT = 64  # definitions: a template has a handful; tests create more


def install() -> Callable[[], None] | None:
    """Cache parse trees. Returns the undo; None (moto left alone) for another moto version."""
    import moto

    if moto.__version__ != PINNED_MOTO:
        return None
    from moto.stepfunctions.parser.asl.parse import asl_parser

    original = asl_parser.AmazonStateLanguageParser.__dict__["parse"]
    trees: OrderedDict[str, Any] = OrderedDict()
    guard = threading.Lock()

    def tree_of(definition: str) -> Any:
        with guard:
            if definition in trees:
                trees.move_to_end(definition)
                return trees[definition]
        listener = asl_parser.SyntaxErrorListener()
        lexer = asl_parser.ASLLexer(asl_parser.InputStream(definition))
        parser = asl_parser.ASLParser(asl_parser.CommonTokenStream(lexer))
        parser.removeErrorListeners()
        parser.addErrorListener(listener)
        tree = parser.state_machine()
        if listener.errors:
            raise asl_parser.ASLParserException(errors=listener.errors)
        with guard:
            trees[definition] = tree
            while len(trees) > KEPT:
                trees.popitem(last=False)
        return tree

    def parse(definition: str) -> tuple[Any, Any]:
        tree = tree_of(definition)
        return asl_parser.Preprocessor().visit(tree), tree

    asl_parser.AmazonStateLanguageParser.parse = staticmethod(parse)

    def undo() -> None:
        asl_parser.AmazonStateLanguageParser.parse = original

    return undo
