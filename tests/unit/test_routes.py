"""Route selection as API Gateway HTTP API does it: the most specific route wins, $default catches the rest."""

from __future__ import annotations

import pytest

from localcloud.routes import RouteTable
from localcloud.template import Route, http_routes, load_sam

pytestmark = pytest.mark.unit


def table(*specs: str) -> RouteTable:
    """Routes from 'METHOD /path' strings (or '$default'); each route's function is its own route key."""
    routes = []
    for spec in specs:
        method, path = ("ANY", spec) if spec == "$default" else spec.split(" ", 1)
        routes.append(Route(method, path, spec))
    return RouteTable(routes)


def chosen(routes: RouteTable, method: str, path: str) -> str | None:
    match = routes.match(method, path)
    return None if match is None else match.route.function


def test_literal_beats_a_path_parameter() -> None:
    routes = table("GET /stores/{store}/products/{product}", "GET /stores/{store}/products/featured")
    assert chosen(routes, "GET", "/stores/a/products/featured") == "GET /stores/{store}/products/featured"
    assert chosen(routes, "GET", "/stores/a/products/lamp") == "GET /stores/{store}/products/{product}"


def test_literal_beats_a_path_parameter_whatever_the_declaration_order() -> None:
    routes = table("GET /stores/featured", "GET /stores/{store}")
    assert chosen(routes, "GET", "/stores/featured") == "GET /stores/featured"
    routes = table("GET /stores/{store}", "GET /stores/featured")
    assert chosen(routes, "GET", "/stores/featured") == "GET /stores/featured"


def test_path_parameter_beats_a_greedy_one() -> None:
    routes = table("GET /stores/{proxy+}", "GET /stores/{store}")
    assert chosen(routes, "GET", "/stores/abc") == "GET /stores/{store}"
    assert chosen(routes, "GET", "/stores/abc/products") == "GET /stores/{proxy+}"


def test_any_full_match_beats_a_greedy_match() -> None:
    """AWS priority: 1. full match (path variables allowed), 2. greedy path variable, 3. $default."""
    routes = table("GET /a/{proxy+}", "GET /{x}/b")
    assert chosen(routes, "GET", "/a/b") == "GET /{x}/b"


def test_method_specific_beats_any() -> None:
    routes = table("ANY /stores/{store}", "GET /stores/{store}")
    assert chosen(routes, "GET", "/stores/a") == "GET /stores/{store}"
    assert chosen(routes, "DELETE", "/stores/a") == "ANY /stores/{store}"


def test_default_route_catches_what_nothing_else_matches() -> None:
    routes = table("GET /health", "$default")
    assert chosen(routes, "GET", "/health") == "GET /health"
    assert chosen(routes, "POST", "/health") == "$default"
    match = routes.match("GET", "/anything/else")
    assert match is not None
    assert match.route.path == "$default"
    assert match.path_parameters == {}


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/stores/a"), ("GET", "/stores"), ("GET", "/stores/a/b"), ("GET", "/"), ("GET", "/elsewhere")],
)
def test_no_match_without_default_is_none(method: str, path: str) -> None:
    routes = table("GET /stores/{store}", "GET /health")
    assert routes.match(method, path) is None


def test_path_parameters_are_extracted() -> None:
    routes = table("GET /stores/{store}/products/{product}", "ANY /files/{proxy+}")
    match = routes.match("GET", "/stores/mystmereforge/products/ember-longsword")
    assert match is not None
    assert match.path_parameters == {"store": "mystmereforge", "product": "ember-longsword"}
    greedy = routes.match("PUT", "/files/a/b/c.txt")
    assert greedy is not None
    assert greedy.path_parameters == {"proxy": "a/b/c.txt"}


def test_greedy_variable_needs_at_least_one_segment() -> None:
    routes = table("ANY /files/{proxy+}")
    assert routes.match("GET", "/files") is None


@pytest.mark.parametrize(
    ("method", "path", "route"),
    [
        ("GET", "/pets/dog/1", "GET /pets/dog/{id}"),
        ("GET", "/pets/cat/1", "GET /pets/{proxy+}"),
        ("POST", "/test/5", "ANY /{proxy+}"),
    ],
)
def test_the_aws_documentation_example(method: str, path: str, route: str) -> None:
    """The routing table of 'Routing API requests' in the API Gateway developer guide (HTTP APIs)."""
    routes = table("GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default")
    assert chosen(routes, method, path) == route


@pytest.mark.parametrize(
    ("path", "function"),
    [
        ("/health/ready", "Health"),
        ("/stores/mystmereforge", "StorefrontCatalog"),
        ("/stores/mystmereforge/categories", "StorefrontCatalog"),
        ("/stores/mystmereforge/products/ember-longsword", "StorefrontCatalog"),
    ],
)
def test_the_templates_routes(path: str, function: str) -> None:
    routes = RouteTable(http_routes(load_sam()))
    match = routes.match("GET", path)
    assert match is not None
    assert match.route.function == function
    assert match.route.path.count("{") == len(match.path_parameters)
    assert routes.match("POST", path) is None
