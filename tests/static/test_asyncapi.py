"""asyncapi.yaml, the WebSocket API's AsyncAPI 3.0 document: what the code would write now, valid AsyncAPI, every
reference resolving, and describing exactly the messages the code accepts and sends (read from the code itself:
the template's routes, the socket function's actions, the replies, refusals and messages it builds)."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from localcloud.asyncapi_export import TARGET, rendered

ROOT = Path(__file__).resolve().parents[2]
NOZZLY = ROOT / "layers" / "common" / "nozzly"
# `make install` puts the AsyncAPI Initiative's JSON Schemas (npm @asyncapi/specs) in .tools/.
SPEC_SCHEMA = ROOT / ".tools" / "node_modules" / "@asyncapi" / "specs" / "schemas" / "3.0.0-without-$id.json"
# The code that answers clients or pushes to rooms (not contracts/: it describes them).
SENDERS = [
    *sorted(p for p in (NOZZLY / "realtime").rglob("*.py") if "contracts" not in p.parts),
    *sorted((NOZZLY / "notifications" / "services").glob("*.py")),
    ROOT / "functions" / "realtime_socket" / "app.py",
]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(TARGET.read_text(encoding="utf-8"))
    return found


def test_the_committed_document_is_what_the_code_describes_now() -> None:
    assert TARGET.read_text(encoding="utf-8") == rendered(), "run: python -m localcloud.asyncapi_export"


def test_the_document_is_valid_asyncapi_3(document: dict[str, Any]) -> None:
    if not SPEC_SCHEMA.exists():
        pytest.skip("the AsyncAPI JSON Schemas are not installed: make install (needs npm)")
    import jsonschema

    validator = jsonschema.Draft7Validator(json.loads(SPEC_SCHEMA.read_text(encoding="utf-8")))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator.iter_errors(document)]
    assert errors == []


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_every_reference_resolves_and_every_operation_names_its_channels_messages(document: dict[str, Any]) -> None:
    broken = []
    for ref in sorted(set(_refs(document))):
        try:
            _resolve(document, ref)
        except (KeyError, TypeError):
            broken.append(ref)
    assert broken == []
    for name, operation in document["operations"].items():
        channel = operation["channel"]["$ref"]
        for message in operation["messages"]:
            assert message["$ref"].startswith(f"{channel}/messages/"), (name, message)
    assert document["servers"]["aws"]["protocol"] == "wss"
    assert document["components"]["securitySchemes"]["token"] == document["components"]["securitySchemes"]["token"] | {
        "type": "httpApiKey",
        "in": "query",
        "name": "token",
    }


def _documented(document: dict[str, Any], key: str) -> set[str]:
    """The constant `key` (action or type) of every message payload that has one."""
    found = set()
    for message in document["components"]["messages"].values():
        payload = _resolve(document, message["payload"]["$ref"])
        constant = payload.get("properties", {}).get(key, {}).get("const")
        if constant is not None:
            found.add(constant)
    return found


def _calls(tree: ast.AST, name: str) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if called == name:
                yield node


def _literal(node: ast.AST, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def sent_by_the_code() -> set[str]:
    """Every `type` the code can put on a socket: the rooms' table, and the literals of reply(...), refusal(...),
    message(...) and of {"type": ...} dictionaries in the senders."""
    from nozzly.realtime.domain import messages

    found = {kind for heard in messages.SHOWN.values() for kind in heard}
    constants = {k: v for k, v in vars(messages).items() if k.isupper() and isinstance(v, str)}
    for path in SENDERS:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in [*_calls(tree, "reply"), *_calls(tree, "message")]:
            kind = _literal(call.args[0], constants) if call.args else None
            if kind is None and not (path.name == "messages.py" and call.args and isinstance(call.args[0], ast.Name)):
                pytest.fail(f"{path.relative_to(ROOT)}:{call.lineno}: a message whose type is not a literal")
            if kind is not None:
                found.add(kind)
        if any(True for _ in _calls(tree, "refusal")):
            found.add("error")
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "type" and _literal(value, {}) is not None:
                        found.add(str(_literal(value, {})))
    return found


def test_the_document_describes_exactly_the_messages_the_code_sends(document: dict[str, Any]) -> None:
    documented, sent = _documented(document, "type"), sent_by_the_code()
    assert sorted(sent - documented) == [], "sent but not in asyncapi.yaml"
    assert sorted(documented - sent) == [], "in asyncapi.yaml but never sent"


def test_the_document_describes_exactly_the_actions_the_socket_accepts(document: dict[str, Any]) -> None:
    from localcloud.template import load_sam

    routes = {
        str(r["Properties"]["RouteKey"])
        for r in load_sam()["Resources"].values()
        if r["Type"] == "AWS::ApiGatewayV2::Route" and not str(r["Properties"]["RouteKey"]).startswith("$")
    }
    tree = ast.parse((ROOT / "functions" / "realtime_socket" / "app.py").read_text(encoding="utf-8"))
    cases = {
        c.pattern.value.value
        for c in ast.walk(tree)
        if isinstance(c, ast.match_case)
        and isinstance(c.pattern, ast.MatchValue)
        and isinstance(c.pattern.value, ast.Constant)
    }
    assert routes == cases == _documented(document, "action")
