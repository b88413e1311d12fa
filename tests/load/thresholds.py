"""Pass/fail thresholds of the load profiles, kept free of Locust so the arithmetic is unit-tested.

The figures are the production targets: every request p95 < 500 ms and p99 < 1 s, fewer than 1 % errors,
cart operations p95 < 300 ms, the checkout request p95 < 1 s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CART_OPERATIONS = ("cart: add item", "cart: update quantity", "cart: get")
CHECKOUT = "checkout: start"


@dataclass(frozen=True, slots=True)
class Figures:
    """One request name's (or all requests') figures, in milliseconds."""

    name: str
    requests: int
    failures: int
    p95: float
    p99: float


@dataclass(frozen=True, slots=True)
class Limits:
    p95_ms: float = 500
    p99_ms: float = 1000
    error_rate: float = 0.01
    cart_p95_ms: float = 300
    checkout_p95_ms: float = 1000


def breaches(total: Figures, by_name: Iterable[Figures], limits: Limits = Limits()) -> list[str]:
    """Every threshold the run missed, in words; empty when it passed. A run without requests fails."""
    if total.requests == 0:
        return ["no request was made"]
    found: list[str] = []
    rate = total.failures / total.requests
    if rate >= limits.error_rate:
        found.append(f"errors {rate:.2%} of {total.requests} requests (limit < {limits.error_rate:.0%})")
    if total.p95 >= limits.p95_ms:
        found.append(f"all requests p95 {total.p95:.0f} ms (limit < {limits.p95_ms:.0f} ms)")
    if total.p99 >= limits.p99_ms:
        found.append(f"all requests p99 {total.p99:.0f} ms (limit < {limits.p99_ms:.0f} ms)")
    for figures in by_name:
        if figures.name in CART_OPERATIONS and figures.p95 >= limits.cart_p95_ms:
            found.append(f"{figures.name} p95 {figures.p95:.0f} ms (limit < {limits.cart_p95_ms:.0f} ms)")
        if figures.name == CHECKOUT and figures.p95 >= limits.checkout_p95_ms:
            found.append(f"{figures.name} p95 {figures.p95:.0f} ms (limit < {limits.checkout_p95_ms:.0f} ms)")
    return found
