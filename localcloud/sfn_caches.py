"""Work moto's Step Functions interpreter repeats on every execution and task, done once.

moto 5.2.5's interpreter (LocalStack's) redoes three things that never change while the emulator runs; under
the carts bench (one checkout saga per order) they were about a third of the emulator's CPU:

- It parses the definition's JSON text with an ANTLR grammar at the start of every execution (16 %). The
  parse tree is only read afterwards, so it is kept per definition text; the evaluation components, which
  hold an execution's state, are still built fresh for each execution by moto's own Preprocessor. A
  definition with syntax errors is not kept: it raises as before.
- It builds a new boto3 client for every service task it runs (12 %: botocore copies its event hooks and
  builds the client class each time). The clients are made with the same arguments every time and boto3
  clients are thread-safe, so one is kept per (region, service).
- It parses every JSONPath (`$.order_id`) with a new jsonpath-ng parser, whose construction builds the
  grammar's tables (4 %). Parsed paths are immutable, so one is kept per path text.

tests/functional/test_localcloud_sfn_caches.py checks results and counts.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

PINNED_MOTO = "5.2.5"  # the interpreter these names and behaviours come from; another version is left alone
KEPT = 64  # definitions: a template has a handful; tests create more
_INTERPRETER = "moto.stepfunctions.parser"


def _parse_trees() -> Callable[[], None]:
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


def _replace_everywhere(module_name: str, name: str, replacement: Any) -> Callable[[], None]:
    """Point `name` at `replacement` in its module and in every interpreter module that imported it by name."""
    original = getattr(sys.modules[module_name], name)
    modules = [m for key, m in list(sys.modules.items()) if key == module_name or key.startswith(_INTERPRETER)]
    holders = [module for module in modules if getattr(module, name, None) is original]
    for module in holders:
        setattr(module, name, replacement)

    def undo() -> None:
        for module in holders:
            setattr(module, name, original)

    return undo


def _task_clients() -> Callable[[], None]:
    from moto.stepfunctions.parser.asl.utils import boto_client

    make = boto_client.boto_client_for
    clients: dict[tuple[str, str, bool], Any] = {}
    guard = threading.Lock()

    def boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        # Under mock_aws the client talks to the in-process stubber, else to the emulator's port: both fixed.
        key = (region, service, bool(boto_client.botocore_stubber.enabled))
        with guard:
            if key not in clients:
                clients[key] = make(region, service, state_credentials)
            return clients[key]

    return _replace_everywhere(boto_client.__name__, "boto_client_for", boto_client_for)


def _json_paths() -> Callable[[], None]:
    from moto.stepfunctions.parser.asl.utils import json_path

    return _replace_everywhere(json_path.__name__, "parse", functools.lru_cache(maxsize=4096)(json_path.parse))


def install() -> Callable[[], None] | None:
    """Keep parse trees, task clients and JSONPaths. Returns the undo; None (moto left alone) for another moto."""
    import moto

    if moto.__version__ != PINNED_MOTO:
        return None
    # The interpreter's modules import boto_client_for and parse by name: load them all before replacing those.
    from moto.stepfunctions.parser.asl.parse import asl_parser  # noqa: F401
    from moto.stepfunctions.parser.backend import execution  # noqa: F401

    undos = [_parse_trees(), _task_clients(), _json_paths()]

    def undo() -> None:
        for each in reversed(undos):
            each()

    return undo
