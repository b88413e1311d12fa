"""Matching a request to an HTTP API route the way API Gateway does: the most specific route wins."""

from __future__ import annotations

from dataclasses import dataclass

from localcloud.template import Route


@dataclass(frozen=True, slots=True)
class Match:
    route: Route
    path_parameters: dict[str, str]


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _match_path(pattern: str, path: str) -> tuple[tuple[int, ...], dict[str, str]] | None:
    """Specificity and parameters if path fits pattern.

    Any full match outranks a greedy {proxy+} match (the score's first element); among equals,
    a literal segment outranks a {param} one, from left to right.
    """
    wanted, given = _segments(pattern), _segments(path)
    params: dict[str, str] = {}
    score: list[int] = []
    for i, segment in enumerate(wanted):
        if segment.startswith("{") and segment.endswith("+}"):
            if i >= len(given):
                return None
            params[segment[1:-2]] = "/".join(given[i:])
            return (0, *score), params
        if i >= len(given):
            return None
        if segment.startswith("{") and segment.endswith("}"):
            params[segment[1:-1]] = given[i]
            score.append(1)
        elif segment == given[i]:
            score.append(2)
        else:
            return None
    return ((1, *score), params) if len(wanted) == len(given) else None


class RouteTable:
    def __init__(self, routes: list[Route]) -> None:
        self.routes = routes
        self.default = next((r for r in routes if r.path == "$default"), None)

    def match(self, method: str, path: str) -> Match | None:
        best: tuple[tuple[int, ...], int, Match] | None = None
        for route in self.routes:
            if route.path == "$default" or route.method not in (method, "ANY"):
                continue
            found = _match_path(route.path, path)
            if found is None:
                continue
            score, params = found
            rank = (score, 1 if route.method == method else 0, Match(route, params))
            if best is None or rank[:2] > best[:2]:
                best = rank
        if best:
            return best[2]
        return Match(self.default, {}) if self.default else None
