"""UpdateItem's validation without the work that cannot change its answer.

moto 5.2.5 checks every UpdateExpression with ten tree walks (parsing/validators.py), each a DepthFirstTraverser.
Under the fifty-shopper load they were about a sixth of the emulator's CPU: the sales counters' transactions
update several items with one ADD clause per metric, and every public request bumps a rate-limit counter.

- A traverser asks, for every node, whether it is a Node (an ABC: a slow isinstance) and then its
  `_processing_map()` twice (which node types it handles, then which method), each call a new dict of bound
  methods. Both answers depend only on the node's type and the traverser, so each is worked out once per type:
  the same methods, called on the same nodes in the same order.
- The first three checks (one clause of each kind, no overlapping paths, no key attribute changed) read only
  the expression's tree, its attribute names and the table's key attributes, and change nothing. The parsed tree
  is kept per text (localcloud/dynamodb_update_expressions.py), so once a tree has passed them with the same
  names and keys, it passes again: they are skipped then. A tree that failed is checked again every time, so it
  fails with the same error.

tests/functional/test_localcloud_dynamodb_update_validation.py checks answers and errors against moto's own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

PINNED_MOTO = "5.2.5"  # the validator order and traverser methods described above
EXPRESSION_ONLY = 3  # UpdateExpressionValidator.get_ast_processors: the checks that read no item or value
KEPT = 2048  # trees, as the parse cache
NAMINGS = 64  # (names, keys) kept per tree: the sales counters name a handful of metric sets with one text


def install() -> Callable[[], None] | None:
    """Returns the undo; None (moto left alone) for another moto version."""
    import moto

    if moto.__version__ != PINNED_MOTO:
        return None
    undos = [_walk_by_type(), _skip_checks_passed()]

    def undo() -> None:
        for each in reversed(undos):
            each()

    return undo


def _walk_by_type() -> Callable[[], None]:
    from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser, Node

    node_kinds: dict[type, bool] = {}

    def handler(traverser: Any, kind: type) -> Callable[[Any], Any] | None:
        """What `process` would call for a node of this type: the first entry of the map it is an instance of."""
        kept: dict[type, Callable[[Any], Any] | None] | None = traverser.__dict__.get("_handlers")
        if kept is None:
            kept = traverser.__dict__["_handlers"] = {}
        if kind not in kept:
            found = traverser._processing_map()
            kept[kind] = next((method for key, method in found.items() if issubclass(kind, key)), None)
        return kept[kind]

    def traverse_node_recursively(traverser: Any, node: Any, child_id: int = -1) -> Any:
        # moto's own walk (ast_nodes.py), with the two isinstance checks per node answered once per type.
        kind = type(node)
        is_node = node_kinds.get(kind)
        if is_node is None:
            is_node = node_kinds[kind] = issubclass(kind, Node)
        if is_node:
            parent_node = node.parent
            if node.children is not None:
                for i, child_node in enumerate(node.children):
                    traverser.pre_processing_of_child(node, i)
                    traverser.traverse_node_recursively(child_node, i)
            method = handler(traverser, kind)
            if method is not None:
                node = method(node)
                node.parent = parent_node
                if parent_node:
                    parent_node.children[child_id] = node
        return node

    original = DepthFirstTraverser.__dict__["traverse_node_recursively"]
    DepthFirstTraverser.traverse_node_recursively = traverse_node_recursively

    def undo() -> None:
        DepthFirstTraverser.traverse_node_recursively = original

    return undo


def _skip_checks_passed() -> Callable[[], None]:
    from moto.dynamodb.parsing.validators import UpdateExpressionValidator

    # id(tree) -> (the tree, the (names, keys) it passed with); the tree is held so that its id is not reused
    passed: OrderedDict[int, tuple[Any, set[tuple[Any, ...]]]] = OrderedDict()
    original_init = UpdateExpressionValidator.__init__
    original_validate = UpdateExpressionValidator.validate

    def init(validator: Any, expression: Any, *args: Any, **kwargs: Any) -> None:
        validator._tree = expression  # the parse cache's tree, before the validator copies it
        original_init(validator, expression, *args, **kwargs)

    def remember(tree: Any, inputs: tuple[Any, ...]) -> None:
        kept = passed.get(id(tree))
        if kept is None or kept[0] is not tree or len(kept[1]) >= NAMINGS:
            kept = passed[id(tree)] = (tree, set())
            while len(passed) > KEPT:
                passed.popitem(last=False)
        kept[1].add(inputs)

    def validate(validator: Any) -> Any:
        tree = validator._tree
        names = validator.expression_attribute_names or {}
        inputs = (tuple(sorted(names.items())), tuple(validator.table.table_key_attrs))
        kept = passed.get(id(tree))
        known = kept is not None and kept[0] is tree and inputs in kept[1]
        node = validator.node_to_validate
        for index, processor in enumerate(validator.processors):
            if index < EXPRESSION_ONLY and known:
                continue
            node = processor.traverse(node)
            if index == EXPRESSION_ONLY - 1 and not known:
                remember(tree, inputs)
        return node

    UpdateExpressionValidator.__init__ = init
    UpdateExpressionValidator.validate = validate

    def undo() -> None:
        UpdateExpressionValidator.__init__ = original_init
        UpdateExpressionValidator.validate = original_validate

    return undo
