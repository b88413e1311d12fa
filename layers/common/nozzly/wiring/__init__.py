"""The composition root: every service a function routes to, built from its adapters and settings.

One module per capability, one factory per service (or shared dependency), each cached for the container's life
(`@factory`). Factories import adapters, services and settings in their bodies only: importing a wiring module
at a handler's import costs nothing but the module itself (boto3, pydantic-settings and the payment SDKs stay
out of the cold start). Only handlers and tests import this package; no capability does (import-linter).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import _lru_cache_wrapper, cache
from typing import Any, TypeVar

__all__ = [
    "accounts",
    "analytics",
    "billing",
    "catalog",
    "customers",
    "factory",
    "imports",
    "invoices",
    "media",
    "orders",
    "payments",
    "promotions",
    "research",
    "reset",
    "reviews",
    "sales",
    "search",
    "shopfront",
    "stores",
]

T = TypeVar("T")

_factories: list[_lru_cache_wrapper[Any]] = []


def factory(build: Callable[[], T]) -> _lru_cache_wrapper[T]:
    """`build`, run once per container and cached; reset() forgets what it built."""
    cached = cache(build)
    _factories.append(cached)
    return cached


def reset() -> None:
    """Forget everything every factory built (a new container: the functional tests do it per test)."""
    for cached in _factories:
        cached.cache_clear()
