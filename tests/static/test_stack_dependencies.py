"""CloudFormation refuses a stack whose resources depend on each other in a circle ("Circular dependency between
resources"): cfn-lint, which reads the SAM template untransformed, does not see those made through the HTTP API's
DefinitionBody. This reads the transformed template's Ref / GetAtt / Sub / DependsOn edges."""

from __future__ import annotations

import re
from typing import Any

import pytest

from localcloud.template import transformed

pytestmark = pytest.mark.static

_SUB_NAME = re.compile(r"\$\{([^}!]+)\}")


def _edges(value: Any, names: set[str], found: set[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _edges(item, names, found)
        return
    if not isinstance(value, dict):
        return
    for key, inner in value.items():
        if key == "Ref" and inner in names:
            found.add(inner)
        elif key == "Fn::GetAtt":
            found.add(inner[0] if isinstance(inner, list) else str(inner).split(".")[0])
        elif key == "Fn::Sub":
            text, variables = (inner, {}) if isinstance(inner, str) else (inner[0], inner[1])
            found.update(m.split(".")[0] for m in _SUB_NAME.findall(text))
            _edges(variables, names, found)
        else:
            _edges(inner, names, found)


def _circles(resources: dict[str, Any]) -> list[set[str]]:
    """Strongly connected components of more than one resource (Tarjan)."""
    names = set(resources)
    graph = {}
    for lid, r in resources.items():
        found: set[str] = set()
        _edges([r.get("Properties", {}), r.get("UpdatePolicy", {})], names, found)
        depends = r.get("DependsOn", [])
        found.update([depends] if isinstance(depends, str) else depends)
        graph[lid] = found & names
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(component)

    for node in graph:
        if node not in index:
            visit(node)
    return circles


def test_the_checker_finds_a_circle() -> None:
    resources = {
        "A": {"Properties": {"X": {"Fn::Sub": "${B.Arn}"}}},
        "B": {"Properties": {"Y": {"Ref": "A"}}},
        "C": {"Properties": {"Z": {"Ref": "A"}}},
    }
    assert _circles(resources) == [{"A", "B"}]


def test_no_resource_joins_a_circular_dependency() -> None:
    """The functions the API routes to read the API's and the console's URLs from the PlatformUrls parameter, not
    their environment; the gradual deployment's aliases wait on deployment groups that name alarms, so an alarm in
    the monitoring stack (which watches the API and the state machines, which call the aliases) would close one."""
    resources = transformed()["Resources"]
    circles = _circles(resources)
    assert circles == [], f"circular dependencies: {[sorted(c) for c in circles]}"
